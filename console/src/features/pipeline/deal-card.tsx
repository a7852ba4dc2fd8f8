import { useDraggable } from '@dnd-kit/core'
import { useEffect, useId, useRef, type KeyboardEventHandler, type PointerEventHandler } from 'react'
import { Badge } from '../../ui/page'
import { formatDate, formatMoney } from '../../ui/format'
import { MoveMenu } from './move-menu'
import { FORECAST_LABELS, type ForecastCategory, type Opportunity, type Stage } from './pipeline.types'

export interface FocusRequest {
  target: 'handle' | 'menu'
}

export interface DealView {
  deal: Opportunity
  /** undefined while loading; null when the caller may not see it. */
  accountName: string | null | undefined
  ownerName: string | null | undefined
  /** The role's field rules hide the amount. */
  amountHidden: boolean
}

const FORECAST_TONES: Record<ForecastCategory, 'neutral' | 'good' | 'warn' | 'bad' | 'info'> = {
  pipeline: 'neutral',
  best_case: 'info',
  commit: 'good',
  closed: 'good',
  omitted: 'bad',
}

function nameOr(name: string | null | undefined, loading: string, hidden: string) {
  if (name === undefined) return <span className="muted">{loading}</span>
  if (name === null) return <span className="muted">{hidden}</span>
  return name
}

/** What a card says: the deal, its account, amount, owner, close date and forecast category. */
export function DealSummary({ view, titleId }: { view: DealView; titleId?: string }) {
  const { deal } = view
  const closed = deal.stage === 'closed_won' || deal.stage === 'closed_lost'
  const reason = deal.stage === 'closed_won' ? deal.wonReason : deal.lostReason
  return (
    <>
      <h3 className="deal-name" id={titleId}>
        {deal.name}
      </h3>
      <p className="deal-line">
        <span className="visually-hidden">Account: </span>
        {nameOr(view.accountName, 'Loading account…', 'Account not visible to you')}
      </p>
      {view.amountHidden ? null : (
        <p className="deal-line deal-amount">
          <span className="visually-hidden">Amount: </span>
          {formatMoney(deal.amount, deal.currency)}
          <span className="muted">
            {' · '}
            {deal.probability}%<span className="visually-hidden"> probability</span>
          </span>
        </p>
      )}
      <p className="deal-line small">
        <span className="visually-hidden">Owner: </span>
        {deal.ownerId ? nameOr(view.ownerName, 'Loading owner…', deal.ownerId) : 'Unassigned'}
      </p>
      <p className="deal-line small muted">
        {closed ? 'Closed ' : 'Closes '}
        {formatDate(`${deal.closeDate}T00:00:00`)}
      </p>
      {closed && reason ? (
        <p className="deal-line small deal-reason">
          <span className="visually-hidden">
            {deal.stage === 'closed_won' ? 'Won because: ' : 'Lost because: '}
          </span>
          {reason}
          {deal.lostToCompetitor ? ` (to ${deal.lostToCompetitor})` : ''}
        </p>
      ) : null}
      <p className="deal-line">
        <span className="visually-hidden">Forecast: </span>
        <Badge tone={FORECAST_TONES[deal.forecastCategory]}>{FORECAST_LABELS[deal.forecastCategory]}</Badge>
      </p>
    </>
  )
}

/**
 * A deal on the board. When the role may move it (an open deal and opportunity:update), the
 * card can be dragged with the pointer anywhere on it, picked up with the keyboard from its
 * handle, or moved with "Move to…". `focusRequest` puts focus back on it after it changed
 * column (the card is a new element there), so a keyboard user keeps their place: on the
 * handle after a drag, on "Move to…" after that menu, on the card once it is closed.
 */
export function DealCard({
  view,
  movable,
  onMove,
  focusRequest,
}: {
  view: DealView
  movable: boolean
  onMove: (deal: Opportunity, stage: Stage) => void
  /** A new object each time focus is asked for, so asking twice focuses twice. */
  focusRequest: FocusRequest | null
}) {
  const { deal } = view
  const titleId = useId()
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, isDragging } = useDraggable({
    id: deal.id,
    disabled: !movable,
  })
  const handle = useRef<HTMLButtonElement | null>(null)
  const menu = useRef<HTMLButtonElement | null>(null)
  const card = useRef<HTMLElement | null>(null)
  useEffect(() => {
    if (!focusRequest) return
    const target = focusRequest.target === 'menu' ? menu.current : handle.current
    // A card that can no longer move (won or lost) has no controls: the card itself takes focus.
    const element = target ?? card.current
    element?.focus()
  }, [focusRequest])

  return (
    <article
      ref={(node) => {
        card.current = node
        setNodeRef(node)
      }}
      tabIndex={focusRequest && !movable ? -1 : undefined}
      className={[
        'deal-card',
        movable ? 'deal-card-movable' : null,
        isDragging ? 'deal-card-placeholder' : null,
      ]
        .filter(Boolean)
        .join(' ')}
      aria-labelledby={titleId}
      data-deal-id={deal.id}
      onPointerDown={movable ? (listeners?.['onPointerDown'] as PointerEventHandler | undefined) : undefined}
    >
      {movable ? (
        <button
          type="button"
          className="deal-handle"
          data-drag-handle=""
          ref={(node) => {
            handle.current = node
            setActivatorNodeRef(node)
          }}
          {...attributes}
          onKeyDown={listeners?.['onKeyDown'] as KeyboardEventHandler | undefined}
          aria-label={`Drag ${deal.name}`}
        >
          <span aria-hidden="true">⠿</span>
        </button>
      ) : null}
      <DealSummary view={view} titleId={titleId} />
      {movable ? (
        <MoveMenu
          deal={deal}
          onMove={(stage) => onMove(deal, stage)}
          toggleRef={(node) => {
            menu.current = node
          }}
        />
      ) : null}
    </article>
  )
}
