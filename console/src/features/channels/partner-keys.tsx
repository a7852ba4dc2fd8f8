import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { api } from '../../api/client'
import { Button } from '../../ui/button'
import { TextField } from '../../ui/field'
import { Badge, Empty } from '../../ui/page'
import { ProblemAlert } from '../../ui/problem-alert'
import type { IssuedKey, PartnerDetail, PartnerKey } from './channel.types'
import { CopyText } from './copy-text'
import { When } from './when'

/**
 * A partner's keys: issue one (shown once, then only its id remains), revoke one. The
 * issued key lives in this component's state only: leaving the page forgets it for good.
 */
export function PartnerKeys({ partner, canManage }: { partner: PartnerDetail; canManage: boolean }) {
  const [issued, setIssued] = useState<IssuedKey | null>(null)
  return (
    <section className="card" aria-labelledby="keys-title">
      <h3 id="keys-title">Keys</h3>
      {issued ? <IssuedKeyNotice issued={issued} onDismiss={() => setIssued(null)} /> : null}
      {partner.keys.length === 0 ? (
        <Empty>No keys yet. {canManage ? 'Issue one for the partner’s integration.' : ''}</Empty>
      ) : (
        <div className="ch-table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Key id</th>
                <th scope="col">Label</th>
                <th scope="col">Issued</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                {canManage ? (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {partner.keys.map((key) => (
                <KeyRow key={key.id} partnerId={partner.id} keyRow={key} canManage={canManage} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canManage ? <IssueKey partnerId={partner.id} onIssued={setIssued} /> : null}
    </section>
  )
}

function IssuedKeyNotice({ issued, onDismiss }: { issued: IssuedKey; onDismiss: () => void }) {
  const box = useRef<HTMLDivElement>(null)
  // The notice takes focus once, so the key is the next thing read and copied.
  useEffect(() => box.current?.focus(), [issued.id])
  return (
    <div
      className="alert alert-success ch-issued-key"
      role="region"
      aria-labelledby="issued-key-title"
      ref={box}
      tabIndex={-1}
    >
      <strong id="issued-key-title">
        Key {issued.id}
        {issued.label ? ` (${issued.label})` : ''} issued
      </strong>
      <p className="ch-issued-key-warning">
        <strong>Copy it now: this is the only time it is shown.</strong> Leadwire keeps only a fingerprint of
        it. Give it to the partner over a safe channel; they sign each request with it.
      </p>
      <CopyText text={issued.key} label="partner key" />
      <Button onClick={onDismiss}>I have copied it</Button>
    </div>
  )
}

function IssueKey({ partnerId, onIssued }: { partnerId: string; onIssued: (key: IssuedKey) => void }) {
  const queryClient = useQueryClient()
  const [label, setLabel] = useState('')
  const issue = useMutation({
    mutationFn: () =>
      api<IssuedKey>(`/v1/partners/${encodeURIComponent(partnerId)}/keys`, {
        method: 'POST',
        body: label.trim() ? { label: label.trim() } : {},
      }),
    onSuccess: async (key) => {
      setLabel('')
      onIssued(key)
      await queryClient.invalidateQueries({ queryKey: ['partners'] })
    },
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    issue.mutate()
  }
  return (
    <form className="ch-issue-key" onSubmit={submit} aria-label="Issue a key">
      <ProblemAlert error={issue.error} />
      <div className="row ch-fields">
        <TextField
          label="Label (optional)"
          value={label}
          maxLength={200}
          onChange={(e) => setLabel(e.target.value)}
          hint="Where it is used, e.g. “production” or “staging”."
        />
        <div className="field">
          <span className="ch-label-spacer" aria-hidden="true">
            Issue
          </span>
          <Button type="submit" variant="primary" busy={issue.isPending}>
            Issue a key
          </Button>
        </div>
      </div>
    </form>
  )
}

function KeyRow({
  partnerId,
  keyRow,
  canManage,
}: {
  partnerId: string
  keyRow: PartnerKey
  canManage: boolean
}) {
  const queryClient = useQueryClient()
  const [confirming, setConfirming] = useState(false)
  const questionId = useId()
  const revoke = useMutation({
    mutationFn: () =>
      api<PartnerKey>(
        `/v1/partners/${encodeURIComponent(partnerId)}/keys/${encodeURIComponent(keyRow.id)}/revoke`,
        { method: 'POST', body: {} },
      ),
    onSuccess: async () => {
      setConfirming(false)
      await queryClient.invalidateQueries({ queryKey: ['partners'] })
    },
  })
  return (
    <tr>
      <td>
        <code>{keyRow.id}</code>
      </td>
      <td>{keyRow.label ?? <span className="muted">—</span>}</td>
      <td>
        <When iso={keyRow.createdAt} />
      </td>
      <td>
        <When iso={keyRow.lastUsedAt} />
      </td>
      <td>
        {keyRow.revokedAt ? (
          <>
            <Badge tone="bad">Revoked</Badge> <When iso={keyRow.revokedAt} />
          </>
        ) : (
          <Badge tone="good">Active</Badge>
        )}
      </td>
      {canManage ? (
        <td>
          {keyRow.revokedAt ? null : confirming ? (
            <div className="ch-confirm" role="group" aria-labelledby={questionId}>
              <p id={questionId} className="small">
                Revoke key {keyRow.id}? Requests with it are refused at once.
              </p>
              <ProblemAlert error={revoke.error} />
              <div className="row">
                <Button variant="danger" busy={revoke.isPending} onClick={() => revoke.mutate()}>
                  Revoke
                </Button>
                <Button onClick={() => setConfirming(false)} autoFocus>
                  Cancel
                </Button>
              </div>
            </div>
          ) : (
            <Button
              variant="danger"
              onClick={() => setConfirming(true)}
              aria-label={`Revoke key ${keyRow.id}`}
            >
              Revoke…
            </Button>
          )}
        </td>
      ) : null}
    </tr>
  )
}
