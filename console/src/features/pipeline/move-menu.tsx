import { useId, useRef, useState, type KeyboardEvent } from 'react'
import { STAGES, STAGE_LABELS, type Opportunity, type Stage } from './pipeline.types'

/**
 * "Move to…": the plain-button way to change a deal's stage, for whoever does not drag
 * (keyboard, switch access, screen readers). A disclosure, not a <select>: choosing a stage
 * acts at once, and a select would act on every arrow key press.
 */
export function MoveMenu({
  deal,
  onMove,
  toggleRef,
}: {
  deal: Opportunity
  onMove: (stage: Stage) => void
  toggleRef?: (node: HTMLButtonElement | null) => void
}) {
  const [open, setOpen] = useState(false)
  const listId = useId()
  const toggle = useRef<HTMLButtonElement | null>(null)

  const close = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return
    event.stopPropagation()
    setOpen(false)
    toggle.current?.focus()
  }

  return (
    <div className="move-menu" onKeyDown={open ? close : undefined}>
      <button
        type="button"
        className="btn btn-small"
        ref={(node) => {
          toggle.current = node
          toggleRef?.(node)
        }}
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        Move to…<span className="visually-hidden"> {deal.name}</span>
      </button>
      {open ? (
        <ul id={listId} className="move-options" aria-label={`Stages for ${deal.name}`}>
          {STAGES.filter((s) => s !== deal.stage).map((stage) => (
            <li key={stage}>
              <button
                type="button"
                onClick={() => {
                  setOpen(false)
                  onMove(stage)
                }}
              >
                {STAGE_LABELS[stage]}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}
