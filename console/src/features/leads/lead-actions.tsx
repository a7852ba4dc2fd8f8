import { useLayoutEffect, useRef, useState } from 'react'
import { useSession } from '../../auth/session'
import { ConvertPanel } from './convert-panel'
import { LogCallPanel } from './log-call-panel'
import { MarkContactedPanel } from './mark-contacted-panel'
import { QualifyPanel } from './qualify-panel'
import { StageCommandPanel } from './stage-command-panel'
import { currentStage } from './lead-format'
import type { JourneyStage, Lead } from './lead.types'

type Action = 'contacted' | 'call' | 'qualify' | 'convert' | 'disqualify' | 'recycle'

/**
 * The actions that move a lead, each shown only when the role may take it and the journey's
 * stage allows it (the API still decides: a refusal shows in the panel). One panel is open
 * at a time, inline below the bar.
 */
export function LeadActions({
  lead,
  stage: journeyStage,
  onDone,
  ownerName,
}: {
  lead: Lead
  stage: JourneyStage | null | undefined
  /** After a write: the message to announce, and whether the journey moves later because of it (a signal). */
  onDone: (message: string, signalled: boolean) => void
  ownerName: (id: string | null) => string
}) {
  const { can } = useSession()
  const [open, setOpen] = useState<Action | null>(null)
  const buttons = useRef(new Map<Action, HTMLButtonElement>())
  const bar = useRef<HTMLDivElement>(null)
  const stage = currentStage(lead, journeyStage)
  const working = lead.journey.status !== 'NONE' && !lead.isDuplicate
  const final = stage === 'Converted' || stage === 'Disqualified'

  const available: { action: Action; label: string; show: boolean }[] = [
    {
      action: 'contacted',
      label: 'Mark contacted',
      show:
        working &&
        (stage === 'New' || stage === 'Nurturing' || stage === 'Recycled') &&
        (can('task', 'update') || can('lead', 'update')),
    },
    { action: 'call', label: 'Log a call', show: can('activity', 'create') },
    {
      action: 'qualify',
      label: 'Qualify',
      show: working && (stage === 'Contacted' || stage === 'Qualification') && can('journey', 'update'),
    },
    {
      action: 'convert',
      label: 'Convert',
      show: working && stage === 'Qualification' && can('account', 'create') && can('journey', 'read'),
    },
    {
      action: 'disqualify',
      label: 'Disqualify',
      show: working && !final && stage !== null && can('journey', 'update'),
    },
    {
      action: 'recycle',
      label: 'Recycle',
      show: working && !final && stage !== null && stage !== 'Recycled' && can('journey', 'update'),
    },
  ]
  const shown = available.filter((a) => a.show)

  // Closing a panel gives focus back to its button, or to the bar when that action is gone now.
  const [returnTo, setReturnTo] = useState<{ action: Action } | null>(null)
  useLayoutEffect(() => {
    if (returnTo) (buttons.current.get(returnTo.action) ?? bar.current)?.focus()
  }, [returnTo])
  const close = (action: Action) => {
    setOpen(null)
    setReturnTo({ action })
  }
  const done =
    (action: Action, signalled: boolean) =>
    (message: string, closePanel = true) => {
      onDone(message, signalled)
      if (closePanel) close(action)
    }

  if (shown.length === 0 && open === null) return null
  return (
    <>
      <div className="card lead-actions" role="group" aria-label="Actions" ref={bar} tabIndex={-1}>
        {shown.map((a) => (
          <button
            key={a.action}
            type="button"
            ref={(el) => {
              if (el) buttons.current.set(a.action, el)
              else buttons.current.delete(a.action)
            }}
            className={`btn ${a.action === 'disqualify' ? 'btn-danger' : open === a.action ? 'btn-primary' : 'btn-secondary'}`}
            aria-expanded={open === a.action}
            aria-controls={open === a.action ? `action-${a.action}` : undefined}
            onClick={() => setOpen(open === a.action ? null : a.action)}
          >
            {a.label}
          </button>
        ))}
        {stage === 'Contacted' && !shown.some((a) => a.action === 'convert') ? (
          <p className="muted small lead-actions-hint">
            Conversion opens when the journey moves the lead to Qualification (score above 70 once contacted).
          </p>
        ) : null}
      </div>
      {open === 'contacted' ? (
        <MarkContactedPanel
          leadId={lead.id}
          onDone={done('contacted', true)}
          onCancel={() => close('contacted')}
        />
      ) : null}
      {open === 'call' ? (
        <LogCallPanel leadId={lead.id} onDone={done('call', false)} onCancel={() => close('call')} />
      ) : null}
      {open === 'qualify' ? (
        <QualifyPanel leadId={lead.id} onDone={done('qualify', false)} onCancel={() => close('qualify')} />
      ) : null}
      {open === 'convert' ? (
        <ConvertPanel
          leadId={lead.id}
          onDone={done('convert', false)}
          onCancel={() => close('convert')}
          ownerName={ownerName}
        />
      ) : null}
      {open === 'disqualify' || open === 'recycle' ? (
        <StageCommandPanel
          key={open}
          leadId={lead.id}
          command={open}
          onDone={done(open, false)}
          onCancel={() => close(open)}
        />
      ) : null}
    </>
  )
}
