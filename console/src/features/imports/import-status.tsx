import { formatNumber } from '../../ui/format'
import { Badge } from '../../ui/page'
import type { ImportCounts, ImportJob } from './import.types'

/** A job's state in words: a previewed file is still waiting to run. */
export function ImportStatusBadge({ job }: { job: ImportJob }) {
  switch (job.status) {
    case 'uploaded':
      return <Badge tone="info">{job.dryRun ? 'Previewed, not run' : 'Uploaded, not run'}</Badge>
    case 'running':
      return <Badge tone="info">Running</Badge>
    case 'completed':
      return <Badge tone="good">Done</Badge>
    case 'failed':
      return <Badge tone="bad">Stopped</Badge>
    default:
      return <Badge>Cancelled</Badge>
  }
}

/** The outcome of each row, as a definition list (what a run did, or what a preview would do). */
export function CountsList({
  counts,
  dryRun = false,
  total,
}: {
  counts: ImportCounts
  dryRun?: boolean
  total?: number | null
}) {
  const rows: [string, number, string][] = [
    [dryRun ? 'Would create' : 'Created', counts.created, 'New leads.'],
    ['Repeats in the file', counts.duplicatesInFile, 'Rows repeating an earlier row, linked to its lead.'],
    ['Already in Leadwire', counts.duplicatesInDb, 'People already held: linked as duplicates, or skipped.'],
    ['Quarantined', counts.quarantined, 'Likely spam: kept for review, no journey.'],
    ['Failed', counts.failed, 'Rows refused: see the error report.'],
    ['Imported before', counts.alreadyImported, 'Rows an earlier run of this same file imported.'],
  ]
  return (
    <dl className="im-import-counts">
      {total !== undefined && total !== null ? (
        <div className="im-import-count">
          <dt>Rows</dt>
          <dd className="im-import-count-value">{formatNumber(total)}</dd>
        </div>
      ) : null}
      {rows.map(([label, value, hint]) => (
        <div key={label} className="im-import-count" title={hint}>
          <dt>{label}</dt>
          <dd className={`im-import-count-value${label === 'Failed' && value > 0 ? ' im-error-text' : ''}`}>
            {formatNumber(value)}
          </dd>
        </div>
      ))}
    </dl>
  )
}
