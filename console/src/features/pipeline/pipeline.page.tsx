import { useState } from 'react'
import { useSession } from '../../auth/session'
import { Loading, Page } from '../../ui/page'
import { ProblemAlert } from '../../ui/problem-alert'
import { Board } from './board'
import { OwnerFilter, ownerOptions, useDirectReports } from './owner-filter'
import { useBoard } from './use-board'
import { useRecordNames } from '../../ui/use-record-names'
import './pipeline.css'

/**
 * The pipeline board: the deals the role sees, by stage, with what each column is worth.
 * A role that may update deals moves them here; any other sees the same board read-only.
 */
export default function PipelinePage() {
  const { me, can, fieldAccess } = useSession()
  const scope = me.rowScopes['opportunity'] ?? 'own'
  const [ownerId, setOwnerId] = useState('')
  const board = useBoard(ownerId)
  const reports = useDirectReports(can('user') && scope !== 'own')

  const deals = board.data?.deals ?? []
  // The signed-in person and their reports are known already; anyone else is looked up.
  const known = new Map<string, string | null>([
    [me.user.id, me.user.name],
    ...(reports.data ?? []).map((u) => [u.id, u.name] as const),
  ])
  const ownerNames = useRecordNames(
    'users',
    deals.map((d) => d.ownerId).filter((id) => id !== null && !known.has(id)),
    can('user'),
  )
  for (const [id, name] of ownerNames) known.set(id, name)
  const accountNames = useRecordNames(
    'accounts',
    deals.map((d) => d.accountId),
    can('account'),
  )
  const canMove = can('opportunity', 'update')
  const amountHidden = fieldAccess('opportunity', 'amount') === 'hidden'

  return (
    <Page
      title="Pipeline"
      actions={
        scope === 'own' ? null : (
          <OwnerFilter
            value={ownerId}
            onChange={setOwnerId}
            options={ownerOptions(scope, { id: me.user.id, name: me.user.name }, reports.data ?? [])}
          />
        )
      }
    >
      {board.error ? <ProblemAlert error={board.error} /> : null}
      {board.isPending ? <Loading label="Loading the pipeline…" /> : null}
      {board.data ? (
        <div aria-busy={board.isPlaceholderData || undefined}>
          {canMove ? null : (
            <p className="alert alert-info">Your role can see the pipeline but not move deals.</p>
          )}
          {board.data.truncated ? (
            <p className="alert alert-info">
              The board shows the first deals by close date only: choose an owner to see all of theirs.
            </p>
          ) : null}
          <Board
            board={board.data}
            ownerId={ownerId}
            accounts={accountNames}
            owners={known}
            amountHidden={amountHidden}
            canMove={canMove}
          />
        </div>
      ) : null}
    </Page>
  )
}
