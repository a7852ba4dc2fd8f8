import { useEffect, useRef, type ReactNode } from 'react'

/**
 * A page's frame: one h1 that takes focus when the page opens (so a screen reader hears
 * where a link went), the document title, and the page's main actions on the right.
 */
export function Page({
  title,
  actions,
  children,
}: {
  title: string
  actions?: ReactNode
  children: ReactNode
}) {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    document.title = `${title} · Leadwire`
    heading.current?.focus({ preventScroll: true })
  }, [title])
  return (
    <section className="page">
      <header className="page-header">
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  )
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      {label}
    </p>
  )
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>
}

export function Badge({
  tone = 'neutral',
  children,
}: {
  tone?: 'neutral' | 'good' | 'warn' | 'bad' | 'info'
  children: ReactNode
}) {
  return <span className={`badge badge-${tone}`}>{children}</span>
}
