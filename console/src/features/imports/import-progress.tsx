import { formatNumber, formatPercent } from '../../ui/format'
import type { ImportJob } from './import.types'
import { CountsList } from './import-status'

/** What the progress bar says in words, for screen readers (aria-valuetext) and the eye. */
export function progressText(job: ImportJob): string {
  const rows = `${formatNumber(job.processedRows)}${job.totalRows ? ` of ${formatNumber(job.totalRows)}` : ''} rows`
  return job.progress === null ? `${rows} processed` : `${formatPercent(job.progress)}, ${rows} processed`
}

/** Step 3: the run in progress (the page polls the job every second while it runs). */
export function ImportProgress({ job }: { job: ImportJob }) {
  const text = progressText(job)
  return (
    <section className="card" aria-labelledby="progress-title">
      <h2 id="progress-title">Importing…</h2>
      <label htmlFor="import-progress" className="visually-hidden">
        Import progress
      </label>
      {/* Without a known fraction the bar is indeterminate (no value) rather than stuck at 0. */}
      <progress
        id="import-progress"
        className="im-import-progress"
        max={1}
        value={job.progress ?? undefined}
        aria-valuetext={text}
      />
      <p className="small">
        {text}
        {job.rowsPerSecond ? ` · ${formatNumber(Math.round(job.rowsPerSecond))} rows a second` : ''}
      </p>
      <CountsList counts={job.counts} />
      <p className="small muted">
        You can leave this page: the import goes on, and this page shows it when you come back.
      </p>
    </section>
  )
}
