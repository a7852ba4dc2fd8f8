import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../../api/client'
import { useSession } from '../../auth/session'
import { Button } from '../../ui/button'
import { formatNumber, humanize } from '../../ui/format'
import { Badge, Loading } from '../../ui/page'
import { ProblemAlert } from '../../ui/problem-alert'
import type { Connector, WhatsAppPairing } from './channel.types'
import { CONNECTORS_KEY, connectorById, missingSettings, useConnectors } from './use-connectors'
import { When } from './when'

const PAIRING_KEY = ['connectors', 'whatsapp', 'pairing'] as const

/** WhatsApp swaps its QR about every 20 s: poll faster than that while a scan is awaited. */
const WAITING_POLL_MS = 4_000
const LINKED_POLL_MS = 30_000

/**
 * Linking the hub's WhatsApp number: the QR to scan while pairing, the paired number once
 * linked, and unlinking it. When the connector is off, how to turn it on.
 */
export function WhatsAppTab() {
  const connectors = useConnectors()
  if (connectors.isPending) return <Loading label="Loading WhatsApp…" />
  if (connectors.error) return <ProblemAlert error={connectors.error} />
  const connector = connectorById(connectors.data, 'whatsapp')
  if (!connector) return <p>This hub has no WhatsApp connector.</p>
  return (
    <section aria-labelledby="whatsapp-title">
      <h2 id="whatsapp-title">WhatsApp</h2>
      {connector.enabled ? <Pairing connector={connector} /> : <HowToEnable connector={connector} />}
    </section>
  )
}

function HowToEnable({ connector }: { connector: Connector }) {
  const missing = missingSettings(connector)
  return (
    <div className="card">
      <p>
        <Badge>Off</Badge> WhatsApp is not turned on for this hub.
      </p>
      {missing.length > 0 ? (
        <ol>
          <li>
            Set <code>WHATSAPP_ENABLED=true</code> in the API&apos;s environment (and{' '}
            <code>WHATSAPP_SESSION_ID</code> if several hubs share one database).
          </li>
          <li>Restart the API.</li>
          <li>Come back here and scan the QR code with the phone whose number leads will message.</li>
        </ol>
      ) : (
        <p>
          It is configured but listed in <code>CONNECTORS_DISABLED</code>: remove <code>whatsapp</code> from
          that list and restart the API.
        </p>
      )}
    </div>
  )
}

function Pairing({ connector }: { connector: Connector }) {
  const { can } = useSession()
  const pairing = useQuery({
    queryKey: PAIRING_KEY,
    queryFn: ({ signal }) => api<WhatsAppPairing>('/v1/connectors/whatsapp/pairing', { signal }),
    refetchInterval: (query) => (query.state.data?.status === 'connected' ? LINKED_POLL_MS : WAITING_POLL_MS),
    // A QR must be fresh: the one WhatsApp shows now, not a cached one.
    staleTime: 0,
  })
  if (pairing.isPending) return <Loading label="Reading the pairing state…" />
  if (pairing.error) return <ProblemAlert error={pairing.error} />
  const state = pairing.data
  return (
    <div className="grid">
      <div className="card ch-whatsapp-pairing" aria-live="polite">
        {state.status === 'connected' ? (
          <Linked state={state} canUnlink={can('channel', 'update')} />
        ) : state.status === 'pairing' && state.qrSvg ? (
          <Scan state={state} />
        ) : (
          <Waiting state={state} />
        )}
      </div>
      <div className="card">
        <h3>Activity</h3>
        <dl className="facts">
          <dt>Last message</dt>
          <dd>
            <When iso={connector.lastActivityAt} />
          </dd>
          <dt>Messages handled</dt>
          <dd>{formatNumber(connector.deliveries)}</dd>
          <dt>Replays ignored</dt>
          <dd>{formatNumber(connector.duplicateDeliveries)}</dd>
          <dt>State updated</dt>
          <dd>
            <When iso={state.updatedAt} never="—" />
          </dd>
        </dl>
        {connector.lastError ? (
          <p className="small ch-error-text">Last error: {connector.lastError}</p>
        ) : null}
      </div>
    </div>
  )
}

function Scan({ state }: { state: WhatsAppPairing }) {
  const src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(state.qrSvg!)}`
  return (
    <>
      <h3>
        <Badge tone="warn">Waiting for a scan</Badge>
      </h3>
      <div className="ch-qr-layout">
        <img
          className="ch-qr"
          src={src}
          width={240}
          height={240}
          alt="WhatsApp pairing QR code. Scan it with the phone: WhatsApp, Settings, Linked devices, Link a device."
        />
        <ol className="ch-qr-steps">
          <li>Open WhatsApp on the phone whose number leads will message.</li>
          <li>
            Go to <strong>Settings → Linked devices</strong> and tap <strong>Link a device</strong>.
          </li>
          <li>Point the phone at this code. It changes every 20 seconds or so; this page follows it.</li>
        </ol>
      </div>
    </>
  )
}

function Waiting({ state }: { state: WhatsAppPairing }) {
  const text: Record<string, string> = {
    idle: 'Waiting for the WhatsApp connection to start. The API process that holds it shows the QR code here within a few seconds.',
    starting: 'Connecting to WhatsApp… the QR code appears here in a moment.',
    reconnecting: 'The connection dropped and is coming back. Nothing to do.',
    disconnected:
      'Not linked: the phone unlinked this hub or it was logged out. A new QR code appears here in a moment.',
    error: 'The connection failed; it retries on its own. See the last error.',
  }
  return (
    <>
      <h3>
        <Badge tone={state.status === 'error' || state.status === 'disconnected' ? 'bad' : 'info'}>
          {humanize(state.status)}
        </Badge>
      </h3>
      <p>{text[state.status] ?? 'Waiting for the QR code…'}</p>
    </>
  )
}

function Linked({ state, canUnlink }: { state: WhatsAppPairing; canUnlink: boolean }) {
  const queryClient = useQueryClient()
  const [confirming, setConfirming] = useState(false)
  const logout = useMutation({
    mutationFn: () =>
      api<{ status: 'requested' | 'logged_out' }>('/v1/connectors/whatsapp/logout', {
        method: 'POST',
        body: {},
      }),
    onSuccess: async () => {
      setConfirming(false)
      await queryClient.invalidateQueries({ queryKey: PAIRING_KEY })
      await queryClient.invalidateQueries({ queryKey: CONNECTORS_KEY })
    },
  })
  return (
    <>
      <h3>
        <Badge tone="good">Linked</Badge>
      </h3>
      <p>
        Leads who message <strong>{state.pairedAs ?? 'the linked number'}</strong> reach Leadwire, and
        journeys send their WhatsApp follow-ups from it.
      </p>
      {logout.data?.status === 'requested' ? (
        <p className="alert alert-info" role="status">
          Unlinking: the connection logs out on its next check.
        </p>
      ) : null}
      <ProblemAlert error={logout.error} />
      {canUnlink && !confirming ? (
        <Button variant="danger" onClick={() => setConfirming(true)}>
          Unlink WhatsApp…
        </Button>
      ) : null}
      {confirming ? (
        <div className="ch-confirm" role="group" aria-labelledby="unlink-question">
          <p id="unlink-question">
            <strong>Unlink {state.pairedAs ?? 'this number'}?</strong> Messages stop reaching Leadwire and
            WhatsApp follow-ups stop until someone scans a new QR code.
          </p>
          <div className="row">
            <Button variant="danger" busy={logout.isPending} onClick={() => logout.mutate()}>
              Unlink
            </Button>
            <Button onClick={() => setConfirming(false)} autoFocus>
              Keep it linked
            </Button>
          </div>
        </div>
      ) : null}
    </>
  )
}
