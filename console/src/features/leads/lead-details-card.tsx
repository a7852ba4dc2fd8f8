import { formatDateTime, formatMoney, humanize } from '../../ui/format'
import { FieldValue } from './field-value'
import type { Lead } from './lead.types'

/** The rest of what is known: firmographics, the BANT notes from capture, assignment and data quality. */
export function LeadDetailsCard({ lead }: { lead: Lead }) {
  const place = [lead.city, lead.state, lead.country].filter(Boolean).join(', ')
  const notes = (['budget', 'authority', 'need', 'timeline'] as const).filter((k) => lead[k])
  return (
    <section className="card" aria-labelledby="details-title">
      <h2 id="details-title">Details</h2>
      <dl className="facts">
        <dt>Website</dt>
        <dd className="break">{lead.website ?? '—'}</dd>
        <dt>Industry</dt>
        <dd>{lead.industry ?? '—'}</dd>
        <dt>Company size</dt>
        <dd>{lead.companySize ?? '—'}</dd>
        <dt>Annual revenue</dt>
        <dd>
          <FieldValue field="annualRevenue" value={lead.annualRevenue}>
            {formatMoney(lead.annualRevenue, lead.currency ?? 'INR')}
          </FieldValue>
        </dd>
        <dt>Location</dt>
        <dd>{place || '—'}</dd>
        {notes.map((k) => (
          <FragmentFact key={k} label={humanize(k)} value={lead[k]} />
        ))}
        <dt>Assigned</dt>
        <dd>
          {lead.assignment.reason ?? '—'}
          {lead.assignment.assignedAt ? (
            <span className="muted small"> · {formatDateTime(lead.assignment.assignedAt)}</span>
          ) : null}
        </dd>
      </dl>
      {lead.validationIssues.length > 0 ? (
        <>
          <h3 className="subhead">Data quality</h3>
          <ul className="plain-list">
            {lead.validationIssues.map((v) => (
              <li key={`${v.field}-${v.code}`}>
                <span className={`badge badge-${v.severity === 'error' ? 'bad' : 'warn'}`}>
                  {humanize(v.field)}
                </span>{' '}
                {v.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {lead.spam.signals.length > 0 ? (
        <>
          <h3 className="subhead">Spam signals (score {lead.spam.score})</h3>
          <ul className="plain-list">
            {lead.spam.signals.map((s) => (
              <li key={s.code}>{s.detail}</li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  )
}

function FragmentFact({ label, value }: { label: string; value: string | null }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value ?? '—'}</dd>
    </>
  )
}
