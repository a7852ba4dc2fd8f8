import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { Link } from 'react-router'
import { api } from '../../api/client'
import { useSession } from '../../auth/session'
import { Button } from '../../ui/button'
import { formatNumber } from '../../ui/format'
import { Badge, Empty, Loading } from '../../ui/page'
import { ProblemAlert } from '../../ui/problem-alert'
import { useCursorList } from '../../ui/use-cursor-list'
import { ActorName } from './actor-name'
import type { PartnerDetail, PartnerSummary } from './channel.types'
import { PartnerEditor } from './partner-editor'
import { PartnerKeys } from './partner-keys'
import { useChannelsParams } from './use-channels-params'
import { useConnectors } from './use-connectors'
import { useFocusOnMount } from './use-focus-on-mount'
import { When } from './when'

/** Partners who push leads over the partner API: the list, a partner with its keys, a new one. */
export function PartnersTab() {
  const { can } = useSession()
  const { params, go } = useChannelsParams()
  const id = params.get('partner')
  if (id === 'new' && can('channel', 'create'))
    return <PartnerEditor onDone={(p) => go({ partner: p.id })} onCancel={() => go({ partner: null })} />
  if (id && id !== 'new') return <PartnerView id={id} />
  return <PartnerList />
}

function PartnerList() {
  const { can } = useSession()
  const { href, go } = useChannelsParams()
  const partners = useCursorList<PartnerSummary>(['partners'], '/v1/partners', { limit: 50 })
  return (
    <section aria-labelledby="partners-title">
      <div className="ch-section-header">
        <h2 id="partners-title">Partners</h2>
        {can('channel', 'create') ? (
          <Button variant="primary" onClick={() => go({ partner: 'new' })}>
            New partner
          </Button>
        ) : null}
      </div>
      {partners.isPending ? <Loading label="Loading partners…" /> : null}
      <ProblemAlert error={partners.error} />
      {!partners.isPending && !partners.error && partners.items.length === 0 ? (
        <Empty>No partners yet. A partner pushes leads to Leadwire with its own key.</Empty>
      ) : null}
      {partners.items.length > 0 ? (
        <div className="ch-table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Partner</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Active keys
                </th>
                <th scope="col">Lead source</th>
                <th scope="col" className="num">
                  Requests a minute
                </th>
                <th scope="col">Added</th>
              </tr>
            </thead>
            <tbody>
              {partners.items.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <Link to={href({ partner: p.id })}>{p.name}</Link>
                    <span className="ch-block small muted">{p.id}</span>
                  </th>
                  <td>{p.isActive ? <Badge tone="good">Active</Badge> : <Badge>Deactivated</Badge>}</td>
                  <td className="num">{formatNumber(p.activeKeys)}</td>
                  <td>
                    <code>{p.attributionSource}</code>
                  </td>
                  <td className="num">{formatNumber(p.rateLimitPerMinute)}</td>
                  <td>
                    <When iso={p.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {partners.hasNextPage ? (
        <Button onClick={partners.loadMore} busy={partners.isFetchingNextPage}>
          Show more partners
        </Button>
      ) : null}
    </section>
  )
}

function PartnerView({ id }: { id: string }) {
  const { href } = useChannelsParams()
  const partner = useQuery({
    queryKey: ['partners', id],
    queryFn: ({ signal }) => api<PartnerDetail>(`/v1/partners/${encodeURIComponent(id)}`, { signal }),
  })
  return (
    <section aria-labelledby="partner-title">
      <p>
        <Link to={href({ partner: null })}>← All partners</Link>
      </p>
      {partner.isPending ? <Loading label="Loading the partner…" /> : null}
      <ProblemAlert error={partner.error} />
      {partner.data ? <PartnerDetailView partner={partner.data} /> : null}
    </section>
  )
}

function PartnerDetailView({ partner }: { partner: PartnerDetail }) {
  const { can } = useSession()
  const heading = useFocusOnMount<HTMLHeadingElement>()
  const connectors = useConnectors()
  const base = connectors.data?.publicBaseUrl ?? ''
  return (
    <>
      <div className="ch-section-header">
        <h2 id="partner-title" ref={heading} tabIndex={-1}>
          {partner.name} {partner.isActive ? <Badge tone="good">Active</Badge> : <Badge>Deactivated</Badge>}
        </h2>
        {can('channel', 'update') ? <ActiveToggle partner={partner} /> : null}
      </div>
      <div className="grid">
        <div className="card">
          <h3>Settings</h3>
          <dl className="facts">
            <dt>Partner id</dt>
            <dd>
              <code>{partner.id}</code>
            </dd>
            <dt>Lead source</dt>
            <dd>
              <code>{partner.attributionSource}</code>
            </dd>
            <dt>Rate limit</dt>
            <dd>{formatNumber(partner.rateLimitPerMinute)} requests a minute</dd>
            <dt>Added</dt>
            <dd>
              <When iso={partner.createdAt} />{' '}
              <span className="small muted">
                by <ActorName actor={partner.createdBy} />
              </span>
            </dd>
          </dl>
        </div>
        <div className="card">
          <h3>How the partner sends leads</h3>
          <p className="small">
            Each lead is one signed request; the key goes in the headers and signs the exact body sent.
          </p>
          <pre className="small">
            {[
              `POST ${base}/partner/v1/leads`,
              'Authorization: Bearer <key>',
              'Idempotency-Key: <one per lead, the same on a retry>',
              'X-Leadwire-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the key>',
              'Content-Type: application/json',
            ].join('\n')}
          </pre>
        </div>
      </div>
      <PartnerKeys partner={partner} canManage={can('channel', 'update')} />
    </>
  )
}

function ActiveToggle({ partner }: { partner: PartnerDetail }) {
  const queryClient = useQueryClient()
  const [confirming, setConfirming] = useState(false)
  const patch = useMutation({
    mutationFn: (isActive: boolean) =>
      api<PartnerDetail>(`/v1/partners/${encodeURIComponent(partner.id)}`, {
        method: 'PATCH',
        body: { isActive },
      }),
    onSuccess: async (saved) => {
      setConfirming(false)
      queryClient.setQueryData(['partners', saved.id], saved)
      await queryClient.invalidateQueries({ queryKey: ['partners'] })
    },
  })
  if (!partner.isActive)
    return (
      <div>
        <ProblemAlert error={patch.error} />
        <Button busy={patch.isPending} onClick={() => patch.mutate(true)}>
          Reactivate partner
        </Button>
      </div>
    )
  return (
    <div>
      <ProblemAlert error={patch.error} />
      {confirming ? (
        <div className="ch-confirm" role="group" aria-labelledby="deactivate-question">
          <p id="deactivate-question" className="small">
            Deactivate {partner.name}? Its requests are refused at once, whatever key they carry.
          </p>
          <div className="row">
            <Button variant="danger" busy={patch.isPending} onClick={() => patch.mutate(false)}>
              Deactivate
            </Button>
            <Button onClick={() => setConfirming(false)} autoFocus>
              Cancel
            </Button>
          </div>
        </div>
      ) : (
        <Button variant="danger" onClick={() => setConfirming(true)}>
          Deactivate…
        </Button>
      )}
    </div>
  )
}
