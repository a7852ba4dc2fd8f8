import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useId, useRef, useState, type FormEvent } from 'react'
import { useNavigate } from 'react-router'
import { ApiError } from '../../api/client'
import { Button } from '../../ui/button'
import { ProblemAlert } from '../../ui/problem-alert'
import { jobKey, LIST_KEY, uploadFile, uploadKey } from './import-api'

/**
 * Step 1: pick a CSV or XLSX file and upload it. Nothing is imported yet: the next page
 * maps its columns and previews the outcome.
 */
export function UploadCard() {
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  const inputId = useId()
  const input = useRef<HTMLInputElement>(null)
  const [file, setFile] = useState<File | null>(null)
  const [missing, setMissing] = useState(false)
  const upload = useMutation({
    mutationFn: uploadFile,
    onSuccess: async (result) => {
      queryClient.setQueryData(uploadKey(result.job.id), result)
      queryClient.setQueryData(jobKey(result.job.id), result.job)
      await queryClient.invalidateQueries({ queryKey: LIST_KEY })
      await navigate(`/imports/${result.job.id}`)
    },
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!file) {
      setMissing(true)
      input.current?.focus()
      return
    }
    upload.mutate(file)
  }
  const fileError = missing
    ? 'Choose a CSV or XLSX file first.'
    : upload.error instanceof ApiError && upload.error.status !== 500
      ? upload.error.message
      : undefined
  return (
    <form className="card" onSubmit={submit} aria-labelledby={`${inputId}-title`}>
      <h2 id={`${inputId}-title`}>New import</h2>
      <p className="small">
        A CSV or Excel (XLSX) sheet of leads with a header row. You map its columns and see a dry run before
        anything is imported; a file imported twice creates nothing new.
      </p>
      <div className="row im-fields">
        <div className="field">
          <label htmlFor={inputId}>File (CSV or XLSX)</label>
          <input
            ref={input}
            id={inputId}
            type="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-invalid={fileError ? true : undefined}
            aria-describedby={fileError ? `${inputId}-error` : undefined}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null)
              setMissing(false)
              upload.reset()
            }}
          />
          {fileError ? (
            <span className="field-error" id={`${inputId}-error`}>
              {fileError}
            </span>
          ) : null}
        </div>
        <div className="field">
          <span className="im-label-spacer" aria-hidden="true">
            Upload
          </span>
          <Button type="submit" variant="primary" busy={upload.isPending}>
            {upload.isPending ? 'Uploading…' : 'Upload and map columns'}
          </Button>
        </div>
      </div>
      {upload.error && !fileError ? <ProblemAlert error={upload.error} /> : null}
    </form>
  )
}
