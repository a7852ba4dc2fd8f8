import { useDroppable } from '@dnd-kit/core'
import { useId, type ReactNode } from 'react'
import { CLOSED_DAYS } from './use-board'
import { STAGE_LABELS, type Opportunity, type Stage } from './pipeline.types'
import { dealCount, formatTotals, totalsByCurrency } from './totals'

/**
 * One stage: its name, how many deals and how much money it holds (per currency), and its
 * cards. It is a drop target for the drag and drop; a closed stage says how far back it looks.
 */
export function StageColumn({
  stage,
  deals,
  amountHidden,
  droppable,
  form,
  children,
}: {
  stage: Stage
  deals: readonly Opportunity[]
  amountHidden: boolean
  droppable: boolean
  /** The inline "why won / lost" form, when a card was dropped here. */
  form?: ReactNode
  children: ReactNode
}) {
  const { setNodeRef, isOver } = useDroppable({ id: stage, disabled: !droppable })
  const headingId = useId()
  const totals = amountHidden ? '' : formatTotals(totalsByCurrency(deals))
  const closed = stage === 'closed_won' || stage === 'closed_lost'
  return (
    <section
      ref={setNodeRef}
      className={['stage', closed ? 'stage-closed' : null, isOver ? 'stage-over' : null]
        .filter(Boolean)
        .join(' ')}
      aria-labelledby={headingId}
      data-stage={stage}
    >
      <header className="stage-head">
        <h2 id={headingId}>{STAGE_LABELS[stage]}</h2>
        <p className="stage-totals">
          <span className="stage-count">{dealCount(deals.length)}</span>
          {totals ? <span className="stage-sum">{totals}</span> : null}
        </p>
        {closed ? <p className="small muted stage-note">Closed in the last {CLOSED_DAYS} days</p> : null}
      </header>
      {form}
      {deals.length === 0 ? (
        <p className="stage-empty">No deals</p>
      ) : (
        <ul className="stage-cards" aria-label={`Deals in ${STAGE_LABELS[stage]}`}>
          {children}
        </ul>
      )}
    </section>
  )
}
