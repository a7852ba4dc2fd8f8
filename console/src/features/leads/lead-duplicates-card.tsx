import { Link } from 'react-router'
import { formatDate, formatPercent, humanize } from '../../ui/format'
import type { Lead } from './lead.types'

const short = (id: string) => `Lead ${id.slice(0, 8)}…`

/** The master this lead duplicates, the captures folded into it, and look-alikes nobody linked yet. */
export function LeadDuplicatesCard({ lead }: { lead: Lead }) {
  const nothing = !lead.duplicateOfId && lead.duplicates.length === 0 && lead.possibleDuplicates.length === 0
  return (
    <section className="card" aria-labelledby="duplicates-title">
      <h2 id="duplicates-title">Duplicates</h2>
      {nothing ? <p className="muted">No duplicates known.</p> : null}
      {lead.duplicateOfId ? (
        <p>
          This capture duplicates <Link to={`/leads/${lead.duplicateOfId}`}>its master lead</Link>: work the
          master.
        </p>
      ) : null}
      {lead.duplicates.length > 0 ? (
        <>
          <h3 className="subhead">Captures linked to this lead</h3>
          <ul className="plain-list">
            {lead.duplicates.map((d) => (
              <li key={d.id}>
                <Link to={`/leads/${d.id}`}>{short(d.id)}</Link>{' '}
                <span className="muted small">
                  {humanize(d.channel)} · {formatDate(d.createdAt)}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {lead.possibleDuplicates.length > 0 ? (
        <>
          <h3 className="subhead">Look-alikes (not linked)</h3>
          <ul className="plain-list">
            {lead.possibleDuplicates.map((d) => (
              <li key={d.id}>
                <Link to={`/leads/${d.id}`}>{short(d.id)}</Link>{' '}
                <span className="muted small">{formatPercent(d.similarity)} similar</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  )
}
