import { useMutation } from '@tanstack/react-query'
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { api } from '../../api/client'
import { Button } from '../../ui/button'
import { TextAreaField } from '../../ui/field'
import { fieldError, FormProblem } from '../leads/form-errors'
import { RadioGroup } from '../leads/radio-group'
import { TASK_OUTCOMES, type Task, type TaskOutcome } from './task.types'

/** Completes a task with its outcome and an optional note (POST /v1/tasks/{id}/complete). */
export function CompleteTaskForm({
  task,
  onDone,
  onCancel,
}: {
  task: Task
  onDone: (task: Task, outcome: TaskOutcome) => Promise<void>
  onCancel: () => void
}) {
  const [outcome, setOutcome] = useState<TaskOutcome>('contacted')
  const [note, setNote] = useState('')
  const ref = useRef<HTMLFormElement>(null)
  useEffect(() => ref.current?.querySelector<HTMLInputElement>('input:checked')?.focus(), [])
  const complete = useMutation({
    mutationFn: () =>
      api<Task>(`/v1/tasks/${task.id}/complete`, {
        body: { outcome, ...(note.trim() ? { note: note.trim() } : {}) },
      }),
    // Waits for the inbox to reload, so the row leaves as the form closes.
    onSuccess: () => onDone(task, outcome),
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    complete.mutate()
  }
  return (
    <form
      ref={ref}
      className="task-panel"
      onSubmit={submit}
      noValidate
      aria-label={`Complete “${task.title}”`}
      onKeyDown={(e) => e.key === 'Escape' && onCancel()}
    >
      <FormProblem error={complete.error} placed={['/body/outcome', '/body/note']} />
      <div className="task-panel-grid">
        <RadioGroup
          legend="Outcome"
          name={`outcome-${task.id}`}
          options={TASK_OUTCOMES}
          value={outcome}
          onChange={setOutcome}
          error={fieldError(complete.error, '/body/outcome')}
        />
        <div>
          <TextAreaField
            label="Note (optional)"
            value={note}
            maxLength={2000}
            onChange={(e) => setNote(e.target.value)}
            error={fieldError(complete.error, '/body/note')}
          />
          {task.workflowId ? (
            <p className="muted small">
              The lead’s journey hears of the outcome: contacted or meeting booked move it to Contacted.
            </p>
          ) : null}
          <div className="row">
            <Button type="submit" variant="primary" busy={complete.isPending}>
              Complete task
            </Button>
            <Button onClick={onCancel}>Cancel</Button>
          </div>
        </div>
      </div>
    </form>
  )
}
