import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api, ApiError } from '../../api/client'
import { Button } from '../../ui/button'
import { SelectField, TextField } from '../../ui/field'
import { ProblemAlert } from '../../ui/problem-alert'
import { jobKey, LIST_KEY } from './import-api'
import {
  FIELD_LABELS,
  IMPORT_FIELDS,
  type ColumnMapping,
  type ImportDefaults,
  type ImportField,
  type ImportJob,
  type ImportPreview,
  type ImportRunBody,
  type ImportUploaded,
} from './import.types'
import { PreviewResult } from './preview-result'

const FIELD_OPTIONS = [
  { value: '', label: '— Leave out —' },
  ...IMPORT_FIELDS.map((f) => ({ value: f, label: FIELD_LABELS[f] })),
]

/** The column a field is mapped from more than once, for the message next to each. */
function repeatedFields(mapping: ColumnMapping): Set<ImportField> {
  const seen = new Set<ImportField>()
  const twice = new Set<ImportField>()
  for (const field of Object.values(mapping)) {
    if (field === null) continue
    if (seen.has(field)) twice.add(field)
    seen.add(field)
  }
  return twice
}

/** The API's message for one column (`/body/mapping/<column>`, with ~ and / escaped). */
function columnError(error: unknown, column: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined
  const pointer = `/body/mapping/${column.replace(/~/g, '~0').replace(/\//g, '~1')}`
  return error.fieldErrors.find((e) => e.pointer === pointer)?.message
}

/**
 * Step 2: which column feeds which lead field, what holds for the whole file (source,
 * campaign, consent), then a dry run that counts what would happen, then the real run.
 */
export function MappingStep({ job, upload }: { job: ImportJob; upload: ImportUploaded | null }) {
  const queryClient = useQueryClient()
  // The upload lists every column; a reopened job has them as its stored mapping's keys.
  const columns = upload?.headers ?? Object.keys(job.mapping)
  const [mapping, setMapping] = useState<ColumnMapping>(() => ({
    ...Object.fromEntries(columns.map((c) => [c, null])),
    ...(upload?.suggestedMapping ?? job.mapping),
  }))
  const [source, setSource] = useState(job.defaults.source ?? '')
  const [campaign, setCampaign] = useState(job.defaults.campaign ?? '')
  const [country, setCountry] = useState(job.defaults.country ?? '')
  const [consentGranted, setConsentGranted] = useState(job.defaults.consent?.granted ?? false)
  const [consentText, setConsentText] = useState(job.defaults.consent?.text ?? '')
  const [onDuplicate, setOnDuplicate] = useState(job.onDuplicate)
  const [preview, setPreview] = useState<ImportPreview | null>(null)

  const body = (): ImportRunBody => {
    const defaults: ImportDefaults = {}
    if (source.trim()) defaults.source = source.trim()
    if (campaign.trim()) defaults.campaign = campaign.trim()
    if (country.trim()) defaults.country = country.trim()
    if (consentGranted)
      defaults.consent = { granted: true, ...(consentText.trim() ? { text: consentText.trim() } : {}) }
    return { mapping, defaults, onDuplicate }
  }
  const dryRun = useMutation({
    mutationFn: () => api<ImportPreview>(`/v1/imports/${job.id}/preview`, { method: 'POST', body: body() }),
    onSuccess: (result) => {
      setPreview(result)
      queryClient.setQueryData(jobKey(job.id), result.job)
    },
  })
  const run = useMutation({
    mutationFn: () => api<ImportJob>(`/v1/imports/${job.id}/run`, { method: 'POST', body: body() }),
    onSuccess: async (started) => {
      queryClient.setQueryData(jobKey(job.id), started)
      await queryClient.invalidateQueries({ queryKey: LIST_KEY })
    },
  })
  const error = run.error ?? dryRun.error
  const twice = repeatedFields(mapping)
  const mapped = new Set(Object.values(mapping))
  const reachable = mapped.has('email') || mapped.has('phone')
  const samplesOf = (column: string) =>
    (upload?.sampleRows ?? [])
      .map((r) => r.record[column] ?? '')
      .filter((v) => v !== '')
      .slice(0, 3)
  const change = (column: string, value: string) => {
    setMapping({ ...mapping, [column]: value === '' ? null : (value as ImportField) })
    setPreview(null)
  }

  return (
    <>
      <section className="card" aria-labelledby="map-title">
        <h2 id="map-title">Map the columns</h2>
        <p className="small">
          {columns.length} columns found
          {upload ? ` (header on row ${upload.headerRow})` : ''}. Columns left out stay with each lead’s
          original record.
        </p>
        <div className="im-table-scroll">
          <table className="table im-mapping-table">
            <thead>
              <tr>
                <th scope="col">Column in the file</th>
                <th scope="col">Sample values</th>
                <th scope="col">Lead field</th>
              </tr>
            </thead>
            <tbody>
              {columns.map((column) => {
                const field = mapping[column] ?? null
                const message =
                  columnError(error, column) ??
                  (field && twice.has(field)
                    ? `Another column is mapped to ${FIELD_LABELS[field]} too.`
                    : undefined)
                return (
                  <tr key={column}>
                    <th scope="row">{column}</th>
                    <td className="small">
                      {samplesOf(column).length > 0 ? (
                        samplesOf(column).join(' · ')
                      ) : (
                        <span className="muted">{upload ? 'empty in the first rows' : '—'}</span>
                      )}
                    </td>
                    <td>
                      <SelectField
                        label={<span className="visually-hidden">Lead field for “{column}”</span>}
                        value={field ?? ''}
                        options={FIELD_OPTIONS}
                        onChange={(e) => change(column, e.target.value)}
                        error={message}
                      />
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
        {!reachable ? (
          <p className="alert alert-info small" role="status">
            Map a column to Email or Phone: a lead needs a way to reach the person.
          </p>
        ) : null}
        {upload && upload.sampleRows.length > 0 ? <SampleRows upload={upload} /> : null}
      </section>

      <section className="card" aria-labelledby="file-wide-title">
        <h2 id="file-wide-title">For every row</h2>
        <div className="row im-fields">
          <TextField
            label="Source"
            value={source}
            maxLength={200}
            onChange={(e) => setSource(e.target.value)}
            hint="e.g. expo, purchased-list"
          />
          <TextField
            label="Campaign"
            value={campaign}
            maxLength={200}
            onChange={(e) => setCampaign(e.target.value)}
          />
          <TextField
            label="Country"
            value={country}
            maxLength={60}
            onChange={(e) => setCountry(e.target.value)}
            hint="For rows without one, e.g. IN"
          />
          <SelectField
            label="A person already in Leadwire"
            value={onDuplicate}
            onChange={(e) => setOnDuplicate(e.target.value as 'link' | 'skip')}
            options={[
              { value: 'link', label: 'Record as a duplicate of that lead' },
              { value: 'skip', label: 'Skip the row' },
            ]}
          />
        </div>
        <label className="im-checkbox">
          <input
            type="checkbox"
            checked={consentGranted}
            onChange={(e) => setConsentGranted(e.target.checked)}
          />{' '}
          The people in this file consented to be contacted
        </label>
        {consentGranted ? (
          <TextField
            label="Consent wording they agreed to"
            value={consentText}
            maxLength={5000}
            onChange={(e) => setConsentText(e.target.value)}
            hint="Kept as evidence with each lead’s consent."
          />
        ) : null}
      </section>

      {error &&
      !(
        error instanceof ApiError && error.fieldErrors.some((e) => e.pointer.startsWith('/body/mapping/'))
      ) ? (
        <ProblemAlert error={error} />
      ) : null}
      {preview ? <PreviewResult preview={preview} columns={upload?.headers} /> : null}
      {!preview && job.dryRun ? (
        <p className="muted small">
          This file was previewed before with the mapping above; preview again after changing it.
        </p>
      ) : null}
      <div className="row im-wizard-actions">
        <Button busy={dryRun.isPending} disabled={run.isPending} onClick={() => dryRun.mutate()}>
          {dryRun.isPending ? 'Checking every row…' : 'Preview (dry run)'}
        </Button>
        <Button
          variant="primary"
          busy={run.isPending}
          disabled={dryRun.isPending}
          onClick={() => run.mutate()}
        >
          Start import
        </Button>
      </div>
    </>
  )
}

function SampleRows({ upload }: { upload: ImportUploaded }) {
  return (
    <details className="im-sample-rows">
      <summary>The first {upload.sampleRows.length} rows as read</summary>
      <div className="im-table-scroll">
        <table className="table small">
          <thead>
            <tr>
              <th scope="col" className="num">
                Row
              </th>
              {upload.headers.map((h) => (
                <th scope="col" key={h}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {upload.sampleRows.map((row) => (
              <tr key={row.rowNumber}>
                <td className="num">{row.rowNumber}</td>
                {upload.headers.map((h) => (
                  <td key={h}>{row.record[h] ?? ''}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  )
}
