import type { UseQueryResult } from '@tanstack/react-query'
import { useId, type ReactNode } from 'react'
import { Loading } from '../../ui/page'
import { ProblemAlert } from '../../ui/problem-alert'

/**
 * A report's card: its title and what it counts, its own controls, and its loading and
 * error states; the figures render once the report has arrived (and stay while the next
 * period loads, marked busy).
 */
export function ReportPanel<T>({
  title,
  description,
  report,
  controls,
  className,
  children,
}: {
  title: string
  description: ReactNode
  report: UseQueryResult<T>
  controls?: ReactNode
  className?: string
  children: (data: T) => ReactNode
}) {
  const id = useId()
  return (
    <section
      className={['card', 'report', className].filter(Boolean).join(' ')}
      aria-labelledby={id}
      aria-busy={report.isFetching || undefined}
    >
      <header className="report-head">
        <h2 id={id}>{title}</h2>
        {controls ? <div className="report-controls">{controls}</div> : null}
      </header>
      <p className="muted small report-description">{description}</p>
      {report.error ? <ProblemAlert error={report.error} /> : null}
      {report.data !== undefined ? children(report.data) : report.isPending ? <Loading /> : null}
    </section>
  )
}
