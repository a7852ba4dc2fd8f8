import { useMutation } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api } from '../../api/client'
import { Button } from '../../ui/button'
import { SelectField, TextAreaField, TextField } from '../../ui/field'
import { ActionPanel } from './action-panel'
import { fieldError, FormProblem } from './form-errors'
import { newIdempotencyKey } from './idempotency'

const OUTCOMES = [
  { value: 'connected', label: 'Connected' },
  { value: 'no_answer', label: 'No answer' },
  { value: 'busy', label: 'Busy' },
  { value: 'voicemail', label: 'Voicemail' },
  { value: 'wrong_number', label: 'Wrong number' },
]
const DIRECTIONS = [
  { value: 'outbound', label: 'Outbound (I called)' },
  { value: 'inbound', label: 'Inbound (they called)' },
]
const PLACED = [
  '/body/outcome',
  '/body/direction',
  '/body/durationSeconds',
  '/body/subject',
  '/body/body',
  '/body/occurredAt',
]

/**
 * Logs a call on the lead's timeline (POST /v1/activities). The key is made once per form,
 * so pressing the button again after a lost answer does not log the call twice.
 */
export function LogCallPanel({
  leadId,
  onDone,
  onCancel,
}: {
  leadId: string
  onDone: (message: string) => void
  onCancel: () => void
}) {
  const [key] = useState(newIdempotencyKey)
  const [outcome, setOutcome] = useState('connected')
  const [direction, setDirection] = useState('outbound')
  const [minutes, setMinutes] = useState('')
  const [subject, setSubject] = useState('')
  const [notes, setNotes] = useState('')
  const [when, setWhen] = useState('')
  const [localError, setLocalError] = useState<string | null>(null)

  const log = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api('/v1/activities', { body, headers: { 'idempotency-key': key } }),
    onSuccess: () => onDone('Call logged on the timeline.'),
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const min = minutes.trim() === '' ? undefined : Number(minutes)
    if (min !== undefined && (!Number.isFinite(min) || min < 0)) {
      setLocalError('Enter the minutes as a number, 0 or more.')
      return
    }
    setLocalError(null)
    log.mutate({
      kind: 'call',
      leadId,
      outcome,
      direction,
      ...(min !== undefined ? { durationSeconds: Math.round(min * 60) } : {}),
      ...(subject.trim() ? { subject: subject.trim() } : {}),
      ...(notes.trim() ? { body: notes.trim() } : {}),
      ...(when ? { occurredAt: new Date(when).toISOString() } : {}),
    })
  }

  return (
    <ActionPanel id="action-call" title="Log a call" onCancel={onCancel}>
      <form onSubmit={submit} noValidate>
        <FormProblem error={log.error} placed={PLACED} />
        <div className="row">
          <SelectField
            label="Outcome"
            options={OUTCOMES}
            value={outcome}
            onChange={(e) => setOutcome(e.target.value)}
            error={fieldError(log.error, '/body/outcome')}
          />
          <SelectField
            label="Direction"
            options={DIRECTIONS}
            value={direction}
            onChange={(e) => setDirection(e.target.value)}
            error={fieldError(log.error, '/body/direction')}
          />
          <TextField
            label="Duration (minutes)"
            type="number"
            min={0}
            step="any"
            inputMode="decimal"
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
            error={localError ?? fieldError(log.error, '/body/durationSeconds')}
          />
          <TextField
            label="When"
            type="datetime-local"
            value={when}
            hint="Leave empty for now."
            onChange={(e) => setWhen(e.target.value)}
            error={fieldError(log.error, '/body/occurredAt')}
          />
        </div>
        <TextField
          label="Subject (optional)"
          value={subject}
          maxLength={300}
          onChange={(e) => setSubject(e.target.value)}
          error={fieldError(log.error, '/body/subject')}
        />
        <TextAreaField
          label="Notes"
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
          error={fieldError(log.error, '/body/body')}
        />
        <div className="row">
          <Button type="submit" variant="primary" busy={log.isPending}>
            Log call
          </Button>
          <Button onClick={onCancel}>Cancel</Button>
        </div>
      </form>
    </ActionPanel>
  )
}
