import { useState } from 'react'
import { Button } from '../../ui/button'
import { Empty, Loading } from '../../ui/page'
import { ProblemAlert } from '../../ui/problem-alert'
import { useCursorList } from '../../ui/use-cursor-list'
import { allRowErrors, errorReportCsv } from './import-api'
import type { ImportJob, RowError } from './import.types'
import { RowErrorTable } from './row-error-table'

/**
 * The rows a run refused, page by page, and the whole report as a CSV file (built in the
 * browser from every page: fix the rows in a spreadsheet, then import them again).
 */
export function ErrorReport({ job, columns }: { job: ImportJob; columns?: readonly string[] | undefined }) {
  const errors = useCursorList<RowError>(
    ['imports', job.id, 'errors', job.finishedAt],
    `/v1/imports/${job.id}/errors`,
    { limit: 100 },
  )
  const [downloading, setDownloading] = useState(false)
  const [downloadError, setDownloadError] = useState<unknown>(null)

  const download = async () => {
    setDownloading(true)
    setDownloadError(null)
    try {
      const csv = errorReportCsv(await allRowErrors(job.id), columns)
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }))
      const link = document.createElement('a')
      link.href = url
      link.download = `${job.fileName.replace(/\.[^.]+$/, '')}-errors.csv`
      document.body.append(link)
      link.click()
      link.remove()
      setTimeout(() => URL.revokeObjectURL(url), 10_000)
    } catch (err) {
      setDownloadError(err)
    } finally {
      setDownloading(false)
    }
  }

  return (
    <section className="card" aria-labelledby="errors-title">
      <div className="im-section-header">
        <h2 id="errors-title">Row error report</h2>
        {errors.items.length > 0 ? (
          <Button onClick={() => void download()} busy={downloading}>
            Download report (CSV)
          </Button>
        ) : null}
      </div>
      <ProblemAlert error={downloadError} />
      {errors.isPending ? <Loading label="Loading the error report…" /> : null}
      <ProblemAlert error={errors.error} />
      {!errors.isPending && !errors.error && errors.items.length === 0 ? <Empty>No row failed.</Empty> : null}
      {errors.items.length > 0 ? <RowErrorTable rows={errors.items} columns={columns} /> : null}
      {errors.hasNextPage ? (
        <Button onClick={errors.loadMore} busy={errors.isFetchingNextPage}>
          Show more rows
        </Button>
      ) : null}
    </section>
  )
}
