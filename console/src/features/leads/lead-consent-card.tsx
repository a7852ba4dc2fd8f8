import { Badge } from '../../ui/page'
import { formatDateTime, humanize } from '../../ui/format'
import type { Lead } from './lead.types'

const CHANNELS = [
  ['email', 'Email'],
  ['whatsapp', 'WhatsApp'],
  ['sms', 'SMS'],
  ['phone', 'Phone'],
] as const

/** What the person agreed to, per channel, and what stops us (DND, an opt-out). */
export function LeadConsentCard({ lead }: { lead: Lead }) {
  const c = lead.consent
  return (
    <section className="card" aria-labelledby="consent-title">
      <h2 id="consent-title">Consent</h2>
      <ul className="consent-channels" aria-label="Marketing consent per channel">
        {CHANNELS.map(([ch, label]) => {
          const allowed = c.channels.includes(ch)
          return (
            <li key={ch}>
              <span>{label}</span>{' '}
              <Badge tone={allowed ? 'good' : 'neutral'}>{allowed ? 'Opted in' : 'No consent'}</Badge>
            </li>
          )
        })}
      </ul>
      <dl className="facts">
        <dt>Status</dt>
        <dd>{humanize(c.status)}</dd>
        <dt>DND (NCPR)</dt>
        <dd>{c.dnd ? <Badge tone="bad">On the DND registry</Badge> : 'Not registered'}</dd>
        <dt>Opted in</dt>
        <dd>{formatDateTime(c.optInAt)}</dd>
        {c.optOutAt ? (
          <>
            <dt>Opted out</dt>
            <dd>
              {formatDateTime(c.optOutAt)}
              {c.optOutReason ? ` (${c.optOutReason})` : ''}
            </dd>
          </>
        ) : null}
        <dt>Source</dt>
        <dd>{c.source ?? '—'}</dd>
        {c.textVersion ? (
          <>
            <dt>Wording</dt>
            <dd>version {c.textVersion}</dd>
          </>
        ) : null}
      </dl>
    </section>
  )
}
