import { useEffect, useRef, useState, type FormEvent } from 'react'
import { ApiError } from '../../api/client'
import { Button } from '../../ui/button'
import { TextAreaField, TextField } from '../../ui/field'
import { ProblemAlert } from '../../ui/problem-alert'
import type { Opportunity } from './pipeline.types'

export type Outcome = 'closed_won' | 'closed_lost'

/**
 * Winning or losing a deal needs a reason (and, when lost, optionally who won it): asked
 * for inline, in the Won or Lost column the card was dropped on, with focus in the reason.
 * Escape or Cancel leaves the deal where it was.
 */
export function CloseDealForm({
  deal,
  outcome,
  busy,
  error,
  onSubmit,
  onCancel,
}: {
  deal: Opportunity
  outcome: Outcome
  busy: boolean
  error: unknown
  onSubmit: (input: { reason: string; competitor: string }) => void
  onCancel: () => void
}) {
  const [reason, setReason] = useState('')
  const [competitor, setCompetitor] = useState('')
  const [missing, setMissing] = useState(false)
  const form = useRef<HTMLFormElement>(null)
  useEffect(() => {
    form.current?.querySelector('textarea')?.focus()
  }, [deal.id, outcome])

  const won = outcome === 'closed_won'
  const problem = error instanceof ApiError ? error : null
  const reasonError =
    (missing ? 'Say why, in a few words: it is kept on the deal.' : undefined) ??
    problem?.fieldMessage('reason')
  const competitorError = problem?.fieldMessage('competitor')

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!reason.trim()) {
      setMissing(true)
      form.current?.querySelector('textarea')?.focus()
      return
    }
    onSubmit({ reason: reason.trim(), competitor: competitor.trim() })
  }

  return (
    <form
      ref={form}
      className="close-form"
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel()
      }}
      aria-label={won ? `Mark ${deal.name} as won` : `Mark ${deal.name} as lost`}
      noValidate
    >
      <p className="close-form-title">
        {won ? 'Mark as won: ' : 'Mark as lost: '}
        <strong>{deal.name}</strong>
      </p>
      <TextAreaField
        label={won ? 'Why was it won?' : 'Why was it lost?'}
        value={reason}
        maxLength={500}
        required
        rows={3}
        error={reasonError}
        onChange={(e) => {
          setReason(e.target.value)
          if (e.target.value.trim()) setMissing(false)
        }}
      />
      {won ? null : (
        <TextField
          label="Lost to (competitor)"
          hint="Optional."
          value={competitor}
          maxLength={200}
          error={competitorError}
          onChange={(e) => setCompetitor(e.target.value)}
        />
      )}
      {error && !reasonError && !competitorError ? <ProblemAlert error={error} /> : null}
      <div className="row">
        <Button type="submit" variant="primary" busy={busy}>
          {won ? 'Mark won' : 'Mark lost'}
        </Button>
        <Button onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
      </div>
    </form>
  )
}
