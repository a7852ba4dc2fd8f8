import { useMutation } from '@tanstack/react-query'
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { api } from '../../api/client'
import { Button } from '../../ui/button'
import { TextField } from '../../ui/field'
import { formatDateTime } from '../../ui/format'
import { fieldError, FormProblem } from '../leads/form-errors'
import { SNOOZE_PRESETS, toLocalInput } from './snooze-times'
import type { Task } from './task.types'

/**
 * Hides a task until a time (POST /v1/tasks/{id}/snooze): a preset in one press, or a chosen
 * date and time. The due time stays, so a task snoozed past it comes back overdue.
 */
export function SnoozeTaskForm({
  task,
  onDone,
  onCancel,
}: {
  task: Task
  onDone: (task: Task, until: Date) => Promise<void>
  onCancel: () => void
}) {
  const [now] = useState(() => new Date())
  const [custom, setCustom] = useState('')
  const [reason, setReason] = useState('')
  const [localError, setLocalError] = useState<string | null>(null)
  const ref = useRef<HTMLFormElement>(null)
  useEffect(() => ref.current?.querySelector<HTMLButtonElement>('button')?.focus(), [])
  const snooze = useMutation({
    mutationFn: (until: Date) =>
      api<Task>(`/v1/tasks/${task.id}/snooze`, {
        body: { until: until.toISOString(), ...(reason.trim() ? { reason: reason.trim() } : {}) },
      }),
    onSuccess: (_, until) => onDone(task, until),
  })
  const submitCustom = (e: FormEvent) => {
    e.preventDefault()
    const until = custom ? new Date(custom) : null
    if (!until || Number.isNaN(until.getTime())) return setLocalError('Choose a date and time.')
    if (until.getTime() <= Date.now()) return setLocalError('Choose a time in the future.')
    setLocalError(null)
    snooze.mutate(until)
  }
  return (
    <form
      ref={ref}
      className="task-panel"
      onSubmit={submitCustom}
      noValidate
      aria-label={`Snooze “${task.title}”`}
      onKeyDown={(e) => e.key === 'Escape' && onCancel()}
    >
      <FormProblem error={snooze.error} placed={['/body/until', '/body/reason']} />
      <div className="snooze-presets" role="group" aria-label="Snooze for">
        {SNOOZE_PRESETS.map((p) => {
          const at = p.at(now)
          return (
            <Button key={p.id} onClick={() => snooze.mutate(p.at(new Date()))} disabled={snooze.isPending}>
              {p.label}
              <span className="muted small snooze-at">{formatDateTime(at.toISOString())}</span>
            </Button>
          )
        })}
      </div>
      <div className="row">
        <TextField
          label="Or until"
          type="datetime-local"
          value={custom}
          min={toLocalInput(now)}
          onChange={(e) => setCustom(e.target.value)}
          error={localError ?? fieldError(snooze.error, '/body/until')}
        />
        <TextField
          label="Reason (optional)"
          value={reason}
          maxLength={500}
          onChange={(e) => setReason(e.target.value)}
          error={fieldError(snooze.error, '/body/reason')}
        />
      </div>
      <div className="row">
        <Button type="submit" variant="primary" busy={snooze.isPending}>
          Snooze until then
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  )
}
