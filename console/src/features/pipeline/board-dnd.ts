import {
  KeyboardCode,
  PointerSensor,
  pointerWithin,
  rectIntersection,
  type Announcements,
  type CollisionDetection,
  type KeyboardCoordinateGetter,
  type ScreenReaderInstructions,
} from '@dnd-kit/core'
import type { PointerEvent } from 'react'
import { isStage, STAGE_LABELS } from './pipeline.types'

/*
 * Drag and drop on the board, for the mouse and the keyboard alike: stages are the drop
 * targets, arrow keys jump a picked-up card from one stage to the next, and every step is
 * announced to screen readers in words (deal and stage names, not ids).
 */

/**
 * The pointer starts a drag anywhere on a card except on its controls (the "Move to" menu,
 * links): pressing those must do what they say, not pick the card up.
 */
export class CardPointerSensor extends PointerSensor {
  static override activators = [
    {
      eventName: 'onPointerDown' as const,
      handler: ({ nativeEvent: event }: PointerEvent) => {
        if (!event.isPrimary || event.button !== 0) return false
        const target = event.target instanceof Element ? event.target : null
        const control = target?.closest('button, a, input, select, textarea, [role="menu"]')
        return !control || control.hasAttribute('data-drag-handle')
      },
    },
  ]
}

/**
 * Left and right arrows move a picked-up card to the middle of the previous or next stage
 * column (columns sorted by position on screen); up and down do nothing, as the order
 * within a stage is the close date's, not the person's.
 */
export const stageKeyboardCoordinates: KeyboardCoordinateGetter = (
  event,
  { context, currentCoordinates },
) => {
  if (event.code !== KeyboardCode.Right && event.code !== KeyboardCode.Left) {
    if (event.code === KeyboardCode.Up || event.code === KeyboardCode.Down) event.preventDefault()
    return undefined
  }
  event.preventDefault()
  const card = context.collisionRect
  if (!card) return undefined
  const columns = context.droppableContainers
    .getEnabled()
    .flatMap((c) => {
      const rect = context.droppableRects.get(c.id)
      return rect ? [{ id: c.id, rect }] : []
    })
    .sort((a, b) => a.rect.left - b.rect.left)
  if (columns.length === 0) return undefined
  const middle = card.left + card.width / 2
  let index = columns.findIndex((c) => c.id === context.over?.id)
  if (index < 0)
    index = columns.findIndex((c) => middle >= c.rect.left && middle < c.rect.left + c.rect.width)
  const next = index < 0 ? 0 : index + (event.code === KeyboardCode.Right ? 1 : -1)
  const target = columns[Math.max(0, Math.min(columns.length - 1, next))]!.rect
  return {
    x: target.left + (target.width - card.width) / 2,
    y: Math.max(target.top, Math.min(currentCoordinates.y, target.top + target.height - card.height)),
  }
}

/** The stage under the pointer; for the keyboard (no pointer), the one the card overlaps most. */
export const stageCollision: CollisionDetection = (args) => {
  const within = args.pointerCoordinates ? pointerWithin(args) : []
  return within.length > 0 ? within : rectIntersection(args)
}

export const screenReaderInstructions: ScreenReaderInstructions = {
  draggable:
    'To move this deal, press space or enter to pick it up, the left and right arrow keys to choose a ' +
    'stage, space or enter again to drop it there, or escape to cancel. The "Move to" button does the ' +
    'same without dragging.',
}

const stageName = (id: unknown) => (isStage(id) ? STAGE_LABELS[id] : 'no stage')

/** Announcements that name the deal and the stages; `dealName` and `stageOf` read the board. */
export function boardAnnouncements(
  dealName: (id: string) => string,
  stageOf: (id: string) => string,
): Announcements {
  const name = (id: unknown) => dealName(String(id))
  const from = (id: unknown) => stageName(stageOf(String(id)))
  return {
    onDragStart: ({ active }) => `Picked up ${name(active.id)}, in ${from(active.id)}.`,
    onDragOver: ({ active, over }) =>
      over ? `${name(active.id)} is over ${stageName(over.id)}.` : `${name(active.id)} is not over a stage.`,
    onDragEnd: ({ active, over }) =>
      over && over.id !== stageOf(String(active.id))
        ? `${name(active.id)} dropped on ${stageName(over.id)}.`
        : `${name(active.id)} stays in ${from(active.id)}.`,
    onDragCancel: ({ active }) => `Moving cancelled. ${name(active.id)} stays in ${from(active.id)}.`,
  }
}
