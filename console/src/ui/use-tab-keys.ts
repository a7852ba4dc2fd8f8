import { useRef, type KeyboardEvent } from 'react'

/**
 * The keyboard of WAI-ARIA tabs (https://www.w3.org/WAI/ARIA/apg/patterns/tabs/): one tab
 * stop for the list; ArrowLeft/ArrowRight (wrapping), Home and End select a tab and move
 * focus to it. Give each tab button `ref={tabRef(id)}` and `onKeyDown={(e) => onKeyDown(e, index)}`.
 */
export function useTabKeys<Id extends string>(ids: readonly Id[], onSelect: (id: Id) => void) {
  const buttons = useRef(new Map<string, HTMLButtonElement>())
  const tabRef = (id: Id) => (node: HTMLButtonElement | null) => {
    if (node) buttons.current.set(id, node)
    else buttons.current.delete(id)
  }
  const onKeyDown = (event: KeyboardEvent, index: number) => {
    const last = ids.length - 1
    const keys: Record<string, number> = {
      ArrowRight: index === last ? 0 : index + 1,
      ArrowLeft: index === 0 ? last : index - 1,
      Home: 0,
      End: last,
    }
    const to = keys[event.key]
    if (to === undefined) return
    event.preventDefault()
    const id = ids[to]!
    onSelect(id)
    buttons.current.get(id)?.focus()
  }
  return { tabRef, onKeyDown }
}
