import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { api } from '../../api/client'
import type { ImportJob, ImportUploaded, RowError } from './import.types'

export const jobKey = (id: string) => ['imports', id] as const
/** The upload's answer (columns, samples): only the upload returns it, so it is kept in memory. */
export const uploadKey = (id: string) => ['imports', id, 'upload'] as const

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** The upload's content type, from the file's name first: browsers name CSV types differently. */
export function contentTypeOf(file: File): string {
  const name = file.name.toLowerCase()
  if (name.endsWith('.xlsx')) return XLSX
  if (name.endsWith('.csv') || name.endsWith('.txt')) return 'text/csv'
  return file.type === XLSX ? XLSX : 'application/octet-stream'
}

export function uploadFile(file: File): Promise<ImportUploaded> {
  return api<ImportUploaded>('/v1/imports', {
    method: 'POST',
    query: { fileName: file.name.slice(0, 255) },
    raw: { body: file, contentType: contentTypeOf(file) },
  })
}

export const LIST_KEY = ['imports', '/v1/imports'] as const

/**
 * One job, polled every second while it runs (the progress bar), not at all otherwise.
 * Each change of its status marks the list of imports stale, so it shows the outcome.
 */
export function useImportJob(id: string) {
  const queryClient = useQueryClient()
  const job = useQuery({
    queryKey: jobKey(id),
    queryFn: ({ signal }) => api<ImportJob>(`/v1/imports/${encodeURIComponent(id)}`, { signal }),
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 1_000 : false),
    staleTime: 0,
  })
  const status = job.data?.status
  useEffect(() => {
    if (status) void queryClient.invalidateQueries({ queryKey: LIST_KEY })
  }, [status, queryClient])
  return job
}

/** What the upload answered, if this browser tab uploaded the file. */
export function useUploadResult(id: string) {
  return useQuery({
    queryKey: uploadKey(id),
    queryFn: () => null as ImportUploaded | null,
    enabled: false,
    staleTime: Infinity,
    gcTime: 60 * 60_000,
  })
}

/** Every row error of a job, page after page (for the CSV download). */
export async function allRowErrors(id: string): Promise<RowError[]> {
  const rows: RowError[] = []
  let cursor: string | null = null
  do {
    const page: { items: RowError[]; nextCursor: string | null } = await api(
      `/v1/imports/${encodeURIComponent(id)}/errors`,
      { query: { limit: 500, cursor: cursor ?? undefined } },
    )
    rows.push(...page.items)
    cursor = page.nextCursor
  } while (cursor)
  return rows
}

/** A CSV cell: quoted when it holds a comma, quote or line break; formula starts neutralised. */
function cell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value)
  // A cell starting with = + - @ runs as a formula in a spreadsheet: keep it text.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** The error report as a CSV file: one line per problem, with the row as it was read. */
export function errorReportCsv(rows: readonly RowError[], order: readonly string[] = []): string {
  // The file's column order when known, then any column it did not list.
  const columns = [...new Set([...order, ...rows.flatMap((r) => Object.keys(r.raw ?? {}))])]
  const lines = [['Row', 'Column', 'Field', 'Problem', ...columns].map(cell).join(',')]
  for (const row of rows) {
    for (const e of row.errors) {
      lines.push(
        [row.rowNumber, e.column, e.field, e.message, ...columns.map((c) => row.raw?.[c])]
          .map(cell)
          .join(','),
      )
    }
  }
  return lines.join('\r\n') + '\r\n'
}
