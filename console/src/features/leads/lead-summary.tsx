import { Badge } from '../../ui/page'
import { formatDateTime } from '../../ui/format'
import { FieldValue } from './field-value'
import { channelLabel, currentStage, statusLabel, statusTone } from './lead-format'
import type { JourneyStage, JourneyView, Lead } from './lead.types'
import { ScoreBadge } from './score-badge'

/** Who the lead is, where it stands and whose it is: the facts an SDR reads before calling. */
export function LeadSummary({
  lead,
  journey,
  ownerName,
}: {
  lead: Lead
  journey: JourneyView | undefined
  ownerName: (id: string | null) => string
}) {
  const stage = currentStage(lead, journey?.stage ?? (lead.journey.stage as JourneyStage | undefined))
  return (
    <section className="card lead-summary" aria-label="Summary">
      <div className="lead-badges">
        <Badge tone={statusTone(lead.status)}>{statusLabel(lead.status)}</Badge>
        <ScoreBadge score={lead.score} />
        {lead.isDuplicate ? <Badge tone="warn">Duplicate</Badge> : null}
        {lead.validationStatus !== 'valid' ? (
          <Badge tone={lead.validationStatus === 'quarantined' ? 'bad' : 'warn'}>
            {statusLabel(lead.validationStatus)}
          </Badge>
        ) : null}
      </div>
      <dl className="facts lead-summary-facts">
        <dt>Company</dt>
        <dd>
          <FieldValue field="company" value={lead.company} />
          {lead.title ? <span className="muted"> · {lead.title}</span> : null}
        </dd>
        <dt>Email</dt>
        <dd>
          <FieldValue field="email" value={lead.email}>
            <a href={`mailto:${lead.email}`}>{lead.email}</a>
          </FieldValue>
        </dd>
        <dt>Phone</dt>
        <dd>
          <FieldValue field="phone" value={lead.phone}>
            <a href={`tel:${lead.phone}`}>{lead.phone}</a>
          </FieldValue>
        </dd>
        <dt>Owner</dt>
        <dd>{lead.ownerId ? ownerName(lead.ownerId) : `Queue: ${lead.queue ?? 'unassigned'}`}</dd>
        <dt>Journey stage</dt>
        <dd>
          {stage ? (
            <Badge tone={statusTone(stage)}>{stage}</Badge>
          ) : (
            <span className="muted">Not started</span>
          )}
        </dd>
        <dt>Channel</dt>
        <dd>
          {channelLabel(lead.channel)} · captured {formatDateTime(lead.createdAt)}
        </dd>
      </dl>
    </section>
  )
}
