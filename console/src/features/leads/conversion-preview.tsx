import { useSession } from '../../auth/session'
import { formatDate, formatMoney, humanize } from '../../ui/format'
import type { ConversionPreview } from './lead.types'

/** What converting would do, in words: the account matched or created, the contact and the deal. */
export function ConversionPreviewView({
  preview,
  ownerName,
}: {
  preview: ConversionPreview
  ownerName: (id: string | null) => string
}) {
  const { fieldAccess } = useSession()
  const { account, contact, opportunity } = preview
  const contactName = [contact.firstName, contact.lastName].filter(Boolean).join(' ') || '—'
  return (
    <div className="grid conversion-preview" aria-label="Conversion preview">
      <section className="preview-box" aria-labelledby="preview-account">
        <h3 id="preview-account">Account</h3>
        {account.action === 'create' ? (
          <p>
            <span className="badge badge-info">New</span> Creates <strong>{account.name}</strong>
          </p>
        ) : (
          <p>
            <span className="badge badge-good">Existing</span> Adds to{' '}
            <strong>{account.id ? account.name : 'an account you cannot see'}</strong>, matched by{' '}
            {account.matchedBy === 'gstin' ? 'GSTIN' : 'domain'}
            {account.reactivate ? ' (it is inactive and will be reactivated)' : ''}
          </p>
        )}
        <dl className="facts">
          <dt>Domain</dt>
          <dd>{account.domain ?? '—'}</dd>
          <dt>GSTIN</dt>
          <dd>{account.gstin ?? '—'}</dd>
        </dl>
      </section>
      <section className="preview-box" aria-labelledby="preview-contact">
        <h3 id="preview-contact">Contact</h3>
        <p>
          <span className="badge badge-info">New</span> <strong>{contactName}</strong>
          {contact.title ? <span className="muted"> · {contact.title}</span> : null}
        </p>
        <dl className="facts">
          <dt>Email</dt>
          <dd>{contact.email ?? '—'}</dd>
          <dt>Phone</dt>
          <dd>{contact.phone ?? '—'}</dd>
          <dt>Roles</dt>
          <dd>{contact.roles.length ? contact.roles.map((r) => humanize(r)).join(', ') : '—'}</dd>
        </dl>
      </section>
      <section className="preview-box" aria-labelledby="preview-opportunity">
        <h3 id="preview-opportunity">Opportunity</h3>
        <p>
          <span className="badge badge-info">New</span> <strong>{opportunity.name}</strong>
        </p>
        <dl className="facts">
          <dt>Amount</dt>
          <dd>
            {opportunity.amount === null
              ? fieldAccess('opportunity', 'amount') === 'hidden'
                ? 'Hidden for your role'
                : '—'
              : formatMoney(opportunity.amount, opportunity.currency)}
          </dd>
          <dt>Stage</dt>
          <dd>
            {humanize(opportunity.stage)} · {opportunity.probability}%
          </dd>
          <dt>Forecast</dt>
          <dd>{humanize(opportunity.forecastCategory)}</dd>
          <dt>Close date</dt>
          <dd>{formatDate(`${opportunity.closeDate}T00:00:00`)}</dd>
          <dt>Owner</dt>
          <dd>{ownerName(opportunity.ownerId)}</dd>
        </dl>
      </section>
    </div>
  )
}
