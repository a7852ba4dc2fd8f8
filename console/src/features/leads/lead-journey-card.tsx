import { Badge } from '../../ui/page'
import { formatDateTime, formatRelative, humanize } from '../../ui/format'
import { ProblemAlert } from '../../ui/problem-alert'
import { statusTone } from './lead-format'
import type { JourneyView, Lead } from './lead.types'

/** Where the journey is, what it does next and when, its sequence and the tasks it opened. */
export function LeadJourneyCard({
  lead,
  journey,
  error,
  watching,
}: {
  lead: Lead
  journey: JourneyView | undefined
  error: unknown
  watching: boolean
}) {
  const now = Date.now()
  return (
    <section className="card" aria-labelledby="journey-title">
      <h2 id="journey-title">Journey</h2>
      {error ? <ProblemAlert error={error} /> : null}
      {!journey ? (
        lead.journey.status === 'PENDING' ? (
          <p className="muted">The journey starts in a moment.</p>
        ) : lead.journey.status === 'NONE' ? (
          <p className="muted">This lead has no journey of its own (a duplicate, or quarantined).</p>
        ) : (
          <p className="muted">Loading the journey…</p>
        )
      ) : (
        <>
          <dl className="facts">
            <dt>Stage</dt>
            <dd>
              {journey.stage ? <Badge tone={statusTone(journey.stage)}>{journey.stage}</Badge> : '—'}
              {journey.stageSince ? (
                <span className="muted small"> since {formatDateTime(journey.stageSince)}</span>
              ) : null}
              {watching ? <span className="muted small"> · waiting for the journey…</span> : null}
            </dd>
            {journey.stageReason ? (
              <>
                <dt>Why</dt>
                <dd>{journey.stageReason}</dd>
              </>
            ) : null}
            <dt>Next step</dt>
            <dd>
              {journey.nextStep ? (
                <>
                  {humanize(journey.nextStep.label)}
                  {journey.nextStep.dueAt ? (
                    <>
                      {' '}
                      <time dateTime={journey.nextStep.dueAt} title={formatDateTime(journey.nextStep.dueAt)}>
                        {formatRelative(journey.nextStep.dueAt, now)}
                      </time>
                      <span className="muted small"> ({formatDateTime(journey.nextStep.dueAt)})</span>
                    </>
                  ) : null}
                </>
              ) : (
                <span className="muted">Nothing planned</span>
              )}
            </dd>
            {journey.contactedAt ? (
              <>
                <dt>Contacted</dt>
                <dd>{formatDateTime(journey.contactedAt)}</dd>
              </>
            ) : null}
            {journey.recycleAt ? (
              <>
                <dt>Next cycle</dt>
                <dd>{formatDateTime(journey.recycleAt)}</dd>
              </>
            ) : null}
          </dl>
          {journey.source === 'database' ? (
            <p className="muted small">
              The journey is closed or not reachable now: this is the last stage recorded.
            </p>
          ) : null}
          {journey.sequence && journey.sequence.steps.length > 0 ? (
            <details className="journey-more">
              <summary>
                Nurture sequence ({journey.sequence.steps.filter((s) => s.status === 'planned').length}{' '}
                planned
                {journey.sequence.stoppedReason
                  ? `, stopped: ${humanize(journey.sequence.stoppedReason)}`
                  : ''}
                )
              </summary>
              <ol className="plain-list">
                {journey.sequence.steps.map((s) => (
                  <li key={s.stepId}>
                    <span className="badge badge-neutral">{humanize(s.status)}</span> {humanize(s.channel)} “
                    {s.template}” · {formatDateTime(s.dueAt)}
                    {s.note ? <span className="muted small"> ({humanize(s.note)})</span> : null}
                  </li>
                ))}
              </ol>
            </details>
          ) : null}
          {journey.tasks && journey.tasks.length > 0 ? (
            <>
              <h3 className="subhead">Tasks the journey opened</h3>
              <ul className="plain-list">
                {journey.tasks.map((t) => (
                  <li key={t.taskId}>
                    {humanize(t.kind)} (attempt {t.attempt}) ·{' '}
                    <Badge tone={t.status === 'open' ? 'info' : 'neutral'}>{humanize(t.status)}</Badge>
                    {t.outcome ? ` ${humanize(t.outcome)}` : ''} · due {formatDateTime(t.dueAt)}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      )}
    </section>
  )
}
