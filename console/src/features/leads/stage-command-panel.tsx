import { useMutation } from '@tanstack/react-query'
import { useId, useState, type FormEvent } from 'react'
import { api } from '../../api/client'
import { Button } from '../../ui/button'
import { TextField } from '../../ui/field'
import { ActionPanel } from './action-panel'
import { fieldError, FormProblem } from './form-errors'

const COMMANDS = {
  disqualify: {
    title: 'Disqualify',
    button: 'Disqualify lead',
    explain: 'Ends the journey: the nurture sequence stops and open tasks close. This cannot be undone.',
    reasons: [
      'No budget',
      'No need',
      'Not the decision maker',
      'Chose a competitor',
      'Wrong contact details',
      'Spam or test',
    ],
    done: 'Lead disqualified: its journey has ended.',
  },
  recycle: {
    title: 'Recycle',
    button: 'Recycle lead',
    explain:
      'Sends the lead back to marketing: open tasks close and a new nurture cycle starts after the recycle period.',
    reasons: ['Not ready to buy now', 'Could not reach them', 'Timing: next budget cycle'],
    done: 'Lead recycled: marketing nurtures it again after the recycle period.',
  },
} as const

/** Disqualify or recycle, each with the reason the journey records (POST …/disqualify, …/recycle). */
export function StageCommandPanel({
  leadId,
  command,
  onDone,
  onCancel,
}: {
  leadId: string
  command: keyof typeof COMMANDS
  onDone: (message: string) => void
  onCancel: () => void
}) {
  const c = COMMANDS[command]
  const listId = useId()
  const [reason, setReason] = useState('')
  const [empty, setEmpty] = useState(false)
  const run = useMutation({
    mutationFn: () => api(`/v1/leads/${leadId}/${command}`, { body: { reason: reason.trim() } }),
    onSuccess: () => onDone(c.done),
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    setEmpty(!reason.trim())
    if (reason.trim()) run.mutate()
  }
  return (
    <ActionPanel id={`action-${command}`} title={c.title} onCancel={onCancel}>
      <p>{c.explain}</p>
      <form onSubmit={submit} noValidate>
        <FormProblem error={run.error} placed={['/body/reason']} />
        <TextField
          label="Reason"
          list={listId}
          required
          maxLength={500}
          value={reason}
          hint="Pick a common reason or type your own."
          onChange={(e) => setReason(e.target.value)}
          error={empty ? 'Give a reason.' : fieldError(run.error, '/body/reason')}
        />
        <datalist id={listId}>
          {c.reasons.map((r) => (
            <option key={r} value={r} />
          ))}
        </datalist>
        <div className="row">
          <Button
            type="submit"
            variant={command === 'disqualify' ? 'danger' : 'primary'}
            busy={run.isPending}
          >
            {c.button}
          </Button>
          <Button onClick={onCancel}>Cancel</Button>
        </div>
      </form>
    </ActionPanel>
  )
}
