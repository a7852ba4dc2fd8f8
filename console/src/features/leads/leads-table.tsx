import { Link } from 'react-router'
import { Badge } from '../../ui/page'
import { formatDate, formatDateTime } from '../../ui/format'
import { FieldValue } from './field-value'
import { channelLabel, leadName, statusLabel, statusTone } from './lead-format'
import type { LeadSummary } from './lead.types'
import { ScoreBadge } from './score-badge'

/** One row per lead; the name opens the lead page. */
export function LeadsTable({
  leads,
  ownerName,
}: {
  leads: LeadSummary[]
  ownerName: (id: string | null) => string
}) {
  return (
    <div className="table-scroll">
      <table className="table leads-table">
        <caption className="visually-hidden">Leads</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Company</th>
            <th scope="col">Channel</th>
            <th scope="col" className="num">
              Score
            </th>
            <th scope="col">Status</th>
            <th scope="col">Owner</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {leads.map((lead) => (
            <tr key={lead.id}>
              <td>
                <Link to={`/leads/${lead.id}`} className="lead-link">
                  {leadName(lead)}
                </Link>
                {lead.title ? <div className="muted small">{lead.title}</div> : null}
                {lead.isDuplicate ? (
                  <div>
                    <Badge tone="warn">Duplicate</Badge>
                  </div>
                ) : null}
              </td>
              <td>
                <FieldValue field="company" value={lead.company} />
              </td>
              <td>{channelLabel(lead.channel)}</td>
              <td className="num">
                <ScoreBadge score={lead.score} />
              </td>
              <td>
                <Badge tone={statusTone(lead.status)}>{statusLabel(lead.status)}</Badge>
              </td>
              <td>
                {lead.ownerId ? (
                  ownerName(lead.ownerId)
                ) : (
                  <span className="muted">Queue: {lead.queue ?? 'unassigned'}</span>
                )}
              </td>
              <td>
                <time dateTime={lead.createdAt} title={formatDateTime(lead.createdAt)}>
                  {formatDate(lead.createdAt)}
                </time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
