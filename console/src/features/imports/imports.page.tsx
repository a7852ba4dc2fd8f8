import { useEffect } from 'react'
import { Link } from 'react-router'
import { Button } from '../../ui/button'
import { formatDateTime, formatNumber } from '../../ui/format'
import { Empty, Loading, Page } from '../../ui/page'
import { ProblemAlert } from '../../ui/problem-alert'
import { useCursorList } from '../../ui/use-cursor-list'
import type { ImportJob } from './import.types'
import { ImportStatusBadge } from './import-status'
import './imports.css'
import { UploadCard } from './upload-card'

/** Bulk imports: upload a new file, and the imports done before with how each went. */
export default function ImportsPage() {
  const jobs = useCursorList<ImportJob>(['imports'], '/v1/imports', { limit: 50 })
  // While an import runs (here or elsewhere), its row follows it.
  const running = jobs.items.some((j) => j.status === 'running')
  const { refetch } = jobs
  useEffect(() => {
    if (!running) return
    const timer = setInterval(() => void refetch(), 2_000)
    return () => clearInterval(timer)
  }, [running, refetch])
  return (
    <Page title="Imports">
      <div className="im-page">
        <UploadCard />
        <section className="card" aria-labelledby="past-imports">
          <h2 id="past-imports">Past imports</h2>
          {jobs.isPending ? <Loading label="Loading imports…" /> : null}
          <ProblemAlert error={jobs.error} />
          {!jobs.isPending && !jobs.error && jobs.items.length === 0 ? <Empty>No imports yet.</Empty> : null}
          {jobs.items.length > 0 ? (
            <div className="im-table-scroll">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">File</th>
                    <th scope="col">Status</th>
                    <th scope="col" className="num">
                      Rows
                    </th>
                    <th scope="col" className="num">
                      Created
                    </th>
                    <th scope="col" className="num">
                      Duplicates
                    </th>
                    <th scope="col" className="num">
                      Failed
                    </th>
                    <th scope="col">Uploaded</th>
                  </tr>
                </thead>
                <tbody>
                  {jobs.items.map((job) => (
                    <tr key={job.id}>
                      <th scope="row">
                        <Link to={`/imports/${job.id}`}>{job.fileName}</Link>
                      </th>
                      <td>
                        <ImportStatusBadge job={job} />
                      </td>
                      <td className="num">{formatNumber(job.totalRows ?? job.processedRows)}</td>
                      <td className="num">{job.dryRun ? '—' : formatNumber(job.counts.created)}</td>
                      <td className="num">
                        {job.dryRun
                          ? '—'
                          : formatNumber(job.counts.duplicatesInFile + job.counts.duplicatesInDb)}
                      </td>
                      <td className="num">{job.dryRun ? '—' : formatNumber(job.counts.failed)}</td>
                      <td>{formatDateTime(job.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {jobs.hasNextPage ? (
            <Button onClick={jobs.loadMore} busy={jobs.isFetchingNextPage}>
              Show older imports
            </Button>
          ) : null}
        </section>
      </div>
    </Page>
  )
}
