import { Badge, Loading } from '../../ui/page'
import { formatDateTime, formatNumber, humanize } from '../../ui/format'
import { ProblemAlert } from '../../ui/problem-alert'
import type { Connector, ConnectorList } from './channel.types'
import { CopyText } from './copy-text'
import { connectorById, missingSettings, statusBadge, useConnectors, whyOff, listOf } from './use-connectors'
import { When } from './when'

/**
 * Every capture channel at a glance: on or off and why, last activity, deliveries and the
 * replays it recognised. The mailbox and Twilio get a card of their own, since they are set
 * up outside Leadwire (the API's environment, the Twilio console).
 */
export function ConnectorsOverview() {
  const connectors = useConnectors()
  if (connectors.isPending) return <Loading label="Loading channels…" />
  if (connectors.error) return <ProblemAlert error={connectors.error} />
  const list = connectors.data
  const mailbox = connectorById(list, 'email')
  const twilio = connectorById(list, 'twilio')
  return (
    <>
      <div className="grid">
        {mailbox ? <MailboxCard connector={mailbox} /> : null}
        {twilio ? <TwilioCard connector={twilio} list={list} /> : null}
      </div>
      <section className="card" aria-labelledby="all-channels">
        <h2 id="all-channels">All channels</h2>
        <div className="ch-table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">Status</th>
                <th scope="col">Last activity</th>
                <th scope="col" className="num">
                  Deliveries
                </th>
                <th scope="col" className="num">
                  Replays ignored
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((c) => (
                <ConnectorRow key={c.id} connector={c} />
              ))}
            </tbody>
          </table>
        </div>
        <p className="small muted">
          A replay is a delivery the channel sent again (a retry, a double click): it is recognised by its
          delivery key and counted once.
        </p>
      </section>
    </>
  )
}

function StatusBadge({ connector }: { connector: Connector }) {
  const badge = statusBadge(connector)
  return <Badge tone={badge.tone}>{badge.text}</Badge>
}

function ConnectorRow({ connector }: { connector: Connector }) {
  const reason = whyOff(connector)
  return (
    <tr data-connector={connector.id}>
      <th scope="row">
        {connector.title}
        <span className="ch-block small muted">{humanize(connector.kind)}</span>
      </th>
      <td>
        <StatusBadge connector={connector} />
        {reason ? <span className="ch-block small muted">{reason}</span> : null}
        {connector.lastError ? <LastError connector={connector} /> : null}
      </td>
      <td className="ch-nowrap">
        <When iso={connector.lastActivityAt} />
      </td>
      <td className="num">{formatNumber(connector.deliveries)}</td>
      <td className="num">{formatNumber(connector.duplicateDeliveries)}</td>
    </tr>
  )
}

function LastError({ connector }: { connector: Connector }) {
  return (
    <span className="ch-block small ch-error-text">
      Last error {connector.lastErrorAt ? `(${formatDateTime(connector.lastErrorAt)})` : ''}:{' '}
      {connector.lastError}
    </span>
  )
}

function SetupNeeded({ connector }: { connector: Connector }) {
  const missing = missingSettings(connector)
  if (connector.enabled) return null
  return (
    <div className="alert alert-info">
      {missing.length > 0 ? (
        <>Not configured. Set {listOf(missing.map((k) => k))} in the API&apos;s environment and restart it.</>
      ) : (
        <>Configured, but turned off by CONNECTORS_DISABLED in the API&apos;s environment.</>
      )}
    </div>
  )
}

function MailboxCard({ connector }: { connector: Connector }) {
  const connected = connector.enabled && connector.status === 'connected'
  return (
    <section className="card" aria-labelledby="mailbox-title" data-connector-card="email">
      <div className="ch-card-title-row">
        <h2 id="mailbox-title">Mailbox (IMAP)</h2>
        <StatusBadge connector={connector} />
      </div>
      <SetupNeeded connector={connector} />
      <dl className="facts">
        <dt>Configured</dt>
        <dd>{connector.configured ? 'Yes' : 'No'}</dd>
        <dt>Connection</dt>
        <dd>
          {!connector.enabled
            ? 'Not connected (off)'
            : connected
              ? 'Connected, watching the inbox'
              : humanize(connector.status)}
        </dd>
        <dt>Last mail seen</dt>
        <dd>
          <When iso={connector.lastActivityAt} />
        </dd>
        <dt>Mails read</dt>
        <dd>{formatNumber(connector.deliveries)}</dd>
        <dt>Replays ignored</dt>
        <dd>{formatNumber(connector.duplicateDeliveries)}</dd>
      </dl>
      {connector.lastError ? <LastError connector={connector} /> : null}
    </section>
  )
}

/** The webhook paths Twilio must call, as the hub builds and checks their signatures. */
const TWILIO_HOOKS = [
  {
    path: '/webhooks/twilio/voice',
    label: 'Voice webhook',
    hint: 'Phone number → Voice configuration → "A call comes in": Webhook, HTTP POST.',
  },
  {
    path: '/webhooks/twilio/status',
    label: 'Call status callback',
    hint: 'Phone number → "Call status changes", so calls hung up before the dial are logged too.',
  },
] as const

function TwilioCard({ connector, list }: { connector: Connector; list: ConnectorList }) {
  const baseSet = connector.settings.find((s) => s.key === 'PUBLIC_BASE_URL')?.set ?? false
  return (
    <section className="card" aria-labelledby="twilio-title" data-connector-card="twilio">
      <div className="ch-card-title-row">
        <h2 id="twilio-title">Phone (Twilio)</h2>
        <StatusBadge connector={connector} />
      </div>
      <SetupNeeded connector={connector} />
      <dl className="facts">
        <dt>Configured</dt>
        <dd>{connector.configured ? 'Yes' : 'No'}</dd>
        <dt>Last call seen</dt>
        <dd>
          <When iso={connector.lastActivityAt} />
        </dd>
        <dt>Calls handled</dt>
        <dd>{formatNumber(connector.deliveries)}</dd>
        <dt>Replays ignored</dt>
        <dd>{formatNumber(connector.duplicateDeliveries)}</dd>
      </dl>
      {connector.lastError ? <LastError connector={connector} /> : null}
      <h3 className="ch-section-gap">Paste into the Twilio console</h3>
      {!baseSet ? (
        <p className="alert alert-info small">
          PUBLIC_BASE_URL is not set, so these URLs use the address the API listens on. Set it to the address
          Twilio reaches: Twilio signs each call with the URL it called, and the hub checks that signature
          against these.
        </p>
      ) : null}
      {TWILIO_HOOKS.map((hook) => (
        <div key={hook.path} className="ch-webhook">
          <p className="ch-webhook-label">
            <strong>{hook.label}</strong> <span className="small muted">(HTTP POST)</span>
          </p>
          <CopyText text={`${list.publicBaseUrl}${hook.path}`} label={hook.label.toLowerCase()} />
          <p className="small muted">{hook.hint}</p>
        </div>
      ))}
    </section>
  )
}
