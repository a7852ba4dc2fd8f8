import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  useSensor,
  useSensors,
  type DragCancelEvent,
  type DragEndEvent,
} from '@dnd-kit/core'
import { useEffect, useMemo, useRef, useState } from 'react'
import { ApiError } from '../../api/client'
import { Button } from '../../ui/button'
import {
  boardAnnouncements,
  CardPointerSensor,
  screenReaderInstructions,
  stageCollision,
  stageKeyboardCoordinates,
} from './board-dnd'
import { CloseDealForm, type Outcome } from './close-deal-form'
import { DealCard, DealSummary, type DealView, type FocusRequest } from './deal-card'
import { isOpenStage, isStage, STAGE_LABELS, STAGES, type Opportunity, type Stage } from './pipeline.types'
import { StageColumn } from './stage-column'
import type { Names } from '../../ui/use-record-names'
import { useMoveDeal, type Board as BoardData } from './use-board'

interface Failure {
  deal: Opportunity
  to: Stage
  error: unknown
}

/** Why a move did not happen, in the person's terms; the card is back where it was. */
function MoveFailure({ failure, onDismiss }: { failure: Failure; onDismiss: () => void }) {
  const problem = failure.error instanceof ApiError ? failure.error : null
  return (
    <div className="alert alert-error move-failure" role="alert">
      <strong>
        “{failure.deal.name}” was not moved to {STAGE_LABELS[failure.to]}.
      </strong>
      <p>{problem ? problem.message : 'The server could not be reached; try again.'}</p>
      {problem?.requestId ? <p className="muted small">Request id {problem.requestId}</p> : null}
      <Button variant="link" onClick={onDismiss}>
        Dismiss
      </Button>
    </div>
  )
}

/**
 * The pipeline as columns by stage. Deals move by drag and drop (pointer or keyboard) or by
 * "Move to…"; an open-stage move shows at once and is undone with an alert if the API
 * refuses it; won and lost ask for the reason first.
 */
export function Board({
  board,
  ownerId,
  accounts,
  owners,
  amountHidden,
  canMove,
}: {
  board: BoardData
  ownerId: string
  accounts: Names
  owners: Names
  amountHidden: boolean
  canMove: boolean
}) {
  const move = useMoveDeal(ownerId)
  const [activeId, setActiveId] = useState<string | null>(null)
  const [closing, setClosing] = useState<{ deal: Opportunity; outcome: Outcome } | null>(null)
  const [closeState, setCloseState] = useState<{ busy: boolean; error: unknown }>({
    busy: false,
    error: null,
  })
  const [focus, setFocus] = useState<(FocusRequest & { id: string }) | null>(null)
  const [failure, setFailure] = useState<Failure | null>(null)
  const [status, setStatus] = useState('')

  const byId = useMemo(() => new Map(board.deals.map((d) => [d.id, d])), [board.deals])
  const columns = useMemo(() => {
    const grouped = Object.fromEntries(STAGES.map((s) => [s, [] as Opportunity[]])) as Record<
      Stage,
      Opportunity[]
    >
    for (const deal of board.deals) grouped[deal.stage]?.push(deal)
    return grouped
  }, [board.deals])

  // The announcements are built once; they read the current board through this ref.
  const current = useRef(byId)
  useEffect(() => {
    current.current = byId
  }, [byId])
  const announcements = useMemo(
    () =>
      boardAnnouncements(
        (id) => current.current.get(id)?.name ?? 'The deal',
        (id) => current.current.get(id)?.stage ?? '',
      ),
    [],
  )

  const sensors = useSensors(
    useSensor(CardPointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: stageKeyboardCoordinates }),
  )

  const view = (deal: Opportunity): DealView => ({
    deal,
    accountName: accounts.get(deal.accountId),
    ownerName: deal.ownerId ? owners.get(deal.ownerId) : null,
    amountHidden,
  })

  const request = (deal: Opportunity, to: Stage, via: FocusRequest['target'] | null) => {
    if (to === deal.stage || !isOpenStage(deal.stage)) return
    setFailure(null)
    if (to === 'closed_won' || to === 'closed_lost') {
      setCloseState({ busy: false, error: null })
      setClosing({ deal, outcome: to })
      return
    }
    // Keyboard and menu moves keep focus on the deal; a pointer drag leaves focus alone.
    setFocus(via ? { id: deal.id, target: via } : null)
    move.mutateAsync({ deal, to }).then(
      () => setStatus(`${deal.name} moved to ${STAGE_LABELS[to]}.`),
      (error: unknown) => setFailure({ deal, to, error }),
    )
  }

  const confirmClose = ({ reason, competitor }: { reason: string; competitor: string }) => {
    if (!closing) return
    const { deal, outcome } = closing
    setCloseState({ busy: true, error: null })
    const sent =
      outcome === 'closed_won'
        ? move.mutateAsync({ deal, to: outcome, reason })
        : move.mutateAsync({ deal, to: outcome, reason, competitor })
    sent.then(
      () => {
        setClosing(null)
        setCloseState({ busy: false, error: null })
        setStatus(`${deal.name} marked ${outcome === 'closed_won' ? 'won' : 'lost'}.`)
        setFocus({ id: deal.id, target: 'handle' })
      },
      (error: unknown) => setCloseState({ busy: false, error }),
    )
  }

  const cancelClose = () => {
    if (closing) setFocus({ id: closing.deal.id, target: 'menu' })
    setClosing(null)
  }

  // Focus after a keyboard drag is put back here rather than by dnd-kit (restoreFocus off):
  // a card that changed column is a new element, and a drop on Won or Lost focuses the form.
  const onDragEnd = ({ active, over, activatorEvent }: DragEndEvent) => {
    setActiveId(null)
    const deal = byId.get(String(active.id))
    if (!deal) return
    const keyboard = activatorEvent instanceof KeyboardEvent
    if (!over || !isStage(over.id) || over.id === deal.stage) {
      if (keyboard) setFocus({ id: deal.id, target: 'handle' })
      return
    }
    request(deal, over.id, keyboard ? 'handle' : null)
  }

  const onDragCancel = ({ active, activatorEvent }: DragCancelEvent) => {
    setActiveId(null)
    if (activatorEvent instanceof KeyboardEvent) setFocus({ id: String(active.id), target: 'handle' })
  }

  const active = activeId ? byId.get(activeId) : undefined

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={stageCollision}
      accessibility={{ announcements, screenReaderInstructions, restoreFocus: false }}
      onDragStart={({ active: a }) => {
        setFailure(null)
        setActiveId(String(a.id))
      }}
      onDragEnd={onDragEnd}
      onDragCancel={onDragCancel}
    >
      {failure ? <MoveFailure failure={failure} onDismiss={() => setFailure(null)} /> : null}
      <p className="visually-hidden" role="status">
        {status}
      </p>
      <div className="board">
        {STAGES.map((stage) => (
          <StageColumn
            key={stage}
            stage={stage}
            deals={columns[stage]}
            amountHidden={amountHidden}
            droppable={canMove}
            form={
              closing && closing.outcome === stage ? (
                <CloseDealForm
                  deal={closing.deal}
                  outcome={closing.outcome}
                  busy={closeState.busy}
                  error={closeState.error}
                  onSubmit={confirmClose}
                  onCancel={cancelClose}
                />
              ) : null
            }
          >
            {columns[stage].map((deal) => (
              <li key={deal.id}>
                <DealCard
                  view={view(deal)}
                  movable={canMove && deal.open}
                  onMove={(d, to) => request(d, to, 'menu')}
                  focusRequest={focus?.id === deal.id ? focus : null}
                />
              </li>
            ))}
          </StageColumn>
        ))}
      </div>
      <DragOverlay dropAnimation={null}>
        {active ? (
          <div className="deal-card deal-card-overlay">
            <DealSummary view={view(active)} />
          </div>
        ) : null}
      </DragOverlay>
    </DndContext>
  )
}
