import { formatNumber } from '../../ui/format'
import type { ImportPreview } from './import.types'
import { CountsList } from './import-status'
import { RowErrorTable } from './row-error-table'

/** What the dry run found: the outcome of each row, and the first rows that would fail. */
export function PreviewResult({
  preview,
  columns,
}: {
  preview: ImportPreview
  columns?: readonly string[] | undefined
}) {
  return (
    <section className="card" aria-labelledby="preview-title">
      <h2 id="preview-title">Dry run: nothing imported yet</h2>
      <p role="status">
        {formatNumber(preview.totalRows)} rows checked: {formatNumber(preview.counts.created)} would become
        new leads, {formatNumber(preview.counts.failed)} would fail.
      </p>
      <CountsList counts={preview.counts} dryRun />
      {preview.errors.length > 0 ? (
        <>
          <h3>
            Rows that would fail
            {preview.errors.length < preview.counts.failed ? ` (the first ${preview.errors.length})` : ''}
          </h3>
          <RowErrorTable rows={preview.errors} columns={columns} />
        </>
      ) : null}
    </section>
  )
}
