import { useEffect, useRef, type ReactNode } from 'react'

/**
 * An action's form, inline below the action bar rather than in a modal: it takes focus when
 * it opens (its first control), and Escape closes it, giving focus back to its button.
 */
export function ActionPanel({
  id,
  title,
  onCancel,
  children,
}: {
  id: string
  title: string
  onCancel: () => void
  children: ReactNode
}) {
  const ref = useRef<HTMLElement>(null)
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('input:not([type=hidden]), select, textarea, button')?.focus()
  }, [])
  return (
    <section
      id={id}
      ref={ref}
      className="card action-panel"
      aria-labelledby={`${id}-title`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation()
          onCancel()
        }
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  )
}
