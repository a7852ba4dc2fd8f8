import { useMutation, useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api, type Page } from '../../api/client'
import { useSession } from '../../auth/session'
import { Button } from '../../ui/button'
import { TextAreaField } from '../../ui/field'
import { formatDateTime } from '../../ui/format'
import { Loading } from '../../ui/page'
import { TASK_KIND_LABELS, type Task } from '../tasks/task.types'
import { RadioGroup } from './radio-group'
import { ActionPanel } from './action-panel'
import { fieldError, FormProblem } from './form-errors'

/*
 * "Mark contacted" tells the journey the SDR reached the person, by the route the journey
 * listens to. With a contact task of the journey's open (first contact, a follow-up, an
 * escalation), it is completed as contacted (or meeting booked): the task's signal moves
 * the journey. With none open (the journey opens the first one only after its SLA), the
 * contact itself is recorded as an engagement event (a call, a reply, a booked meeting),
 * which the journey also hears, and which the score counts.
 */

const TASK_OUTCOMES = [
  { value: 'contacted', label: 'Reached the person' },
  { value: 'meeting_booked', label: 'Reached them and booked a meeting' },
] as const

const EVENTS = [
  { value: 'call', label: 'On a call' },
  { value: 'emailReply', label: 'They replied to an email' },
  { value: 'whatsappReply', label: 'They replied on WhatsApp' },
  { value: 'meetingBooked', label: 'They booked a meeting' },
] as const

export function MarkContactedPanel({
  leadId,
  onDone,
  onCancel,
}: {
  leadId: string
  onDone: (message: string) => void
  onCancel: () => void
}) {
  const { can } = useSession()
  const tasks = useQuery({
    queryKey: ['lead', leadId, 'open-tasks'],
    queryFn: ({ signal }) =>
      api<Page<Task>>('/v1/tasks', {
        query: { leadId, status: 'open', includeSnoozed: true, limit: 50 },
        signal,
      }),
    enabled: can('task', 'read'),
  })
  const journeyTask = can('task', 'update')
    ? tasks.data?.items.find((t) => t.workflowId !== null && t.status === 'open')
    : undefined
  const [outcome, setOutcome] = useState<(typeof TASK_OUTCOMES)[number]['value']>('contacted')
  const [event, setEvent] = useState<(typeof EVENTS)[number]['value']>('call')
  const [note, setNote] = useState('')

  const mark = useMutation({
    mutationFn: async () => {
      if (journeyTask)
        await api(`/v1/tasks/${journeyTask.id}/complete`, {
          body: { outcome, ...(note.trim() ? { note: note.trim() } : {}) },
        })
      else await api(`/v1/leads/${leadId}/engagement`, { body: { event } })
    },
    onSuccess: () =>
      onDone(
        journeyTask
          ? `Marked contacted: the ${TASK_KIND_LABELS[journeyTask.kind]?.toLowerCase() ?? 'contact'} task is done and the journey is told.`
          : 'Marked contacted: the contact is on the timeline and the journey is told.',
      ),
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    mark.mutate()
  }

  return (
    <ActionPanel id="action-contacted" title="Mark contacted" onCancel={onCancel}>
      {can('task', 'read') && tasks.isPending ? (
        <Loading label="Looking for an open contact task…" />
      ) : (
        <form onSubmit={submit} noValidate>
          <FormProblem error={mark.error} placed={['/body/outcome', '/body/note', '/body/event']} />
          {journeyTask ? (
            <>
              <p>
                Completes the open task “{journeyTask.title}” (due {formatDateTime(journeyTask.dueAt)}); the
                journey moves the lead to Contacted.
              </p>
              <RadioGroup
                legend="Outcome"
                name="contact-outcome"
                options={TASK_OUTCOMES}
                value={outcome}
                onChange={setOutcome}
                error={fieldError(mark.error, '/body/outcome')}
              />
              <TextAreaField
                label="Note (optional)"
                value={note}
                maxLength={2000}
                onChange={(e) => setNote(e.target.value)}
                error={fieldError(mark.error, '/body/note')}
              />
            </>
          ) : (
            <>
              <p>
                No contact task is open for this lead. Say how you reached them: it goes on the timeline,
                counts in the score, and the journey moves the lead to Contacted.
              </p>
              <RadioGroup
                legend="How did you reach them?"
                name="contact-event"
                options={EVENTS}
                value={event}
                onChange={setEvent}
                error={fieldError(mark.error, '/body/event')}
              />
            </>
          )}
          <div className="row">
            <Button type="submit" variant="primary" busy={mark.isPending}>
              Mark contacted
            </Button>
            <Button onClick={onCancel}>Cancel</Button>
          </div>
        </form>
      )}
    </ActionPanel>
  )
}
