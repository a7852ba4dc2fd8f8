import { useMutation, useQueryClient } from '@tanstack/react-query'
import { Link, useParams } from 'react-router'
import { api } from '../../api/client'
import { Button } from '../../ui/button'
import { formatDateTime, formatNumber } from '../../ui/format'
import { Loading, Page } from '../../ui/page'
import { ProblemAlert } from '../../ui/problem-alert'
import { ErrorReport } from './error-report'
import { jobKey, useImportJob, useUploadResult } from './import-api'
import { ImportProgress } from './import-progress'
import { CountsList, ImportStatusBadge } from './import-status'
import type { ImportJob } from './import.types'
import './imports.css'
import { MappingStep } from './mapping-step'

const STEPS = ['Upload', 'Map and preview', 'Import', 'Report'] as const

function stepOf(job: ImportJob): number {
  if (job.status === 'uploaded') return 1
  if (job.status === 'running') return 2
  return 3
}

/** One import, as a wizard: map and preview an uploaded file, follow its run, read its report. */
export default function ImportPage() {
  const { id = '' } = useParams()
  const job = useImportJob(id)
  const upload = useUploadResult(id)
  const title = job.data ? `Import: ${job.data.fileName}` : 'Import'
  return (
    <Page
      title={title}
      actions={
        <Link className="btn btn-secondary" to="/imports">
          All imports
        </Link>
      }
    >
      <div className="im-page">
        {job.isPending ? <Loading label="Loading the import…" /> : null}
        <ProblemAlert error={job.error} />
        {job.data ? (
          <>
            <Steps current={stepOf(job.data)} />
            <p className="small muted">
              <ImportStatusBadge job={job.data} /> {job.data.format.toUpperCase()} ·{' '}
              {formatNumber(Math.ceil(job.data.sizeBytes / 1024))} KB · uploaded{' '}
              {formatDateTime(job.data.createdAt)}
            </p>
            {job.data.status === 'uploaded' ? (
              <MappingStep job={job.data} upload={upload.data ?? null} />
            ) : job.data.status === 'running' ? (
              <ImportProgress job={job.data} />
            ) : (
              <Finished job={job.data} columns={upload.data?.headers} />
            )}
          </>
        ) : null}
      </div>
    </Page>
  )
}

function Steps({ current }: { current: number }) {
  return (
    <ol className="im-wizard-steps" aria-label="Import steps">
      {STEPS.map((label, i) => (
        <li
          key={label}
          className={i < current ? 'im-done' : i === current ? 'im-current' : undefined}
          aria-current={i === current ? 'step' : undefined}
        >
          <span className="im-wizard-step-number" aria-hidden="true">
            {i < current ? '✓' : i + 1}
          </span>{' '}
          {label}
          {i < current ? <span className="visually-hidden"> (done)</span> : null}
        </li>
      ))}
    </ol>
  )
}

function Finished({ job, columns }: { job: ImportJob; columns: readonly string[] | undefined }) {
  const queryClient = useQueryClient()
  // A stopped run (a restart, a failure) resumes after its last committed row.
  const resume = useMutation({
    mutationFn: () => api<ImportJob>(`/v1/imports/${job.id}/run`, { method: 'POST', body: {} }),
    onSuccess: (started) => queryClient.setQueryData(jobKey(job.id), started),
  })
  const done = job.status === 'completed'
  return (
    <>
      <section className="card" aria-labelledby="result-title">
        <h2 id="result-title">{done ? 'Import done' : 'Import stopped'}</h2>
        <p className={done ? 'alert alert-success' : 'alert alert-error'} role="status">
          {done
            ? `${formatNumber(job.processedRows)} rows imported: ${formatNumber(job.counts.created)} new leads, ${formatNumber(job.counts.failed)} rows failed.`
            : `Stopped after ${formatNumber(job.processedRows)} rows${job.error ? `: ${job.error}` : '.'}`}
        </p>
        <label htmlFor="import-progress-done" className="visually-hidden">
          Import progress
        </label>
        <progress
          id="import-progress-done"
          className="im-import-progress"
          max={1}
          value={job.progress ?? 0}
          aria-valuetext={done ? 'Done, 100%' : `Stopped after ${formatNumber(job.processedRows)} rows`}
        />
        <CountsList counts={job.counts} total={job.totalRows} />
        {job.finishedAt ? (
          <p className="small muted">
            Finished {formatDateTime(job.finishedAt)}
            {job.rowsPerSecond ? ` · ${formatNumber(Math.round(job.rowsPerSecond))} rows a second` : ''}
          </p>
        ) : null}
        {job.status === 'failed' ? (
          <>
            <ProblemAlert error={resume.error} />
            <Button variant="primary" busy={resume.isPending} onClick={() => resume.mutate()}>
              Resume the import
            </Button>
          </>
        ) : null}
      </section>
      <ErrorReport job={job} columns={columns} />
    </>
  )
}
