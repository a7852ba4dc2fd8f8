import { formatDateTime } from '../../ui/format'
import { Loading } from '../../ui/page'
import { ProblemAlert } from '../../ui/problem-alert'
import { QualificationSummaryView } from './qualification-summary'
import { useQualification } from './use-lead'
import { useUserNames } from './use-user-names'

/** The qualification answers' summary as stored (GET …/qualification). */
export function QualificationCard({ leadId }: { leadId: string }) {
  const q = useQualification(leadId)
  const updatedBy = q.data?.updatedBy?.replace(/^user:/, '') ?? null
  const who = useUserNames([updatedBy])
  return (
    <section className="card" aria-labelledby="qualification-title">
      <h2 id="qualification-title">Qualification</h2>
      {q.isPending ? (
        <Loading />
      ) : q.error ? (
        <ProblemAlert error={q.error} />
      ) : !q.data.updatedAt ? (
        <p className="muted">No BANT or MEDDICC answers recorded yet.</p>
      ) : (
        <>
          <QualificationSummaryView summary={q.data.summary} />
          <p className="muted small">
            Last answered {formatDateTime(q.data.updatedAt)}
            {updatedBy ? ` by ${who(updatedBy)}` : ''}.
          </p>
        </>
      )}
    </section>
  )
}
