import { useId, useMemo, useState, type FormEvent } from 'react'
import { useSearchParams } from 'react-router'
import { Button } from '../../ui/button'
import { TextField } from '../../ui/field'
import { formatDate } from '../../ui/format'
import { isPreset, periodQuery, PRESETS, type PeriodChoice } from './period'
import type { ReportPeriod } from './report.types'

/**
 * The period in the address: ?period=30, or ?period=custom&from=…&to=…; this quarter by
 * default. Held in state too, so a radio shows its new value at once (the address is
 * updated in a transition).
 */
export function usePeriod() {
  const [params, setParams] = useSearchParams()
  const [choice, setChoiceState] = useState<PeriodChoice>(() => {
    const raw = params.get('period')
    return {
      preset: isPreset(raw) ? raw : 'quarter',
      from: params.get('from') ?? '',
      to: params.get('to') ?? '',
    }
  })
  const key = `${choice.preset}|${choice.from}|${choice.to}`
  // Recomputed when the choice changes, not on every render (today's date is read here).
  const query = useMemo(() => periodQuery(choice), [key])
  const setChoice = (next: PeriodChoice) => {
    setChoiceState(next)
    setParams(
      (current) => {
        const out = new URLSearchParams(current)
        out.set('period', next.preset)
        if (next.preset === 'custom') {
          out.set('from', next.from)
          out.set('to', next.to)
        } else {
          out.delete('from')
          out.delete('to')
        }
        return out
      },
      { replace: true },
    )
  }
  return { choice, query, setChoice }
}

/**
 * Quick periods as one radio group, and two dates applied together (so typing a date does
 * not load four reports on each keystroke).
 */
export function PeriodControl({
  choice,
  current,
  onChange,
}: {
  choice: PeriodChoice
  /** The period the reports cover now: "Dates…" starts from it. */
  current: ReportPeriod | undefined
  onChange: (choice: PeriodChoice) => void
}) {
  const name = useId()
  const [from, setFrom] = useState(choice.from)
  const [to, setTo] = useState(choice.to)
  const [error, setError] = useState<string | undefined>()

  const apply = (event: FormEvent) => {
    event.preventDefault()
    if (!from || !to) return setError('Choose both dates.')
    if (from > to) return setError('The first day must not be after the last.')
    setError(undefined)
    onChange({ preset: 'custom', from, to })
  }

  return (
    <div className="period">
      <fieldset className="segmented">
        <legend>Period</legend>
        {PRESETS.map((p) => (
          <label key={p.value} className={choice.preset === p.value ? 'segment segment-on' : 'segment'}>
            <input
              type="radio"
              name={name}
              value={p.value}
              checked={choice.preset === p.value}
              onChange={() => {
                if (p.value !== 'custom') return onChange({ preset: p.value, from: '', to: '' })
                const start = choice.from || current?.from || ''
                const end = choice.to || current?.to || ''
                setFrom(start)
                setTo(end)
                onChange({ preset: 'custom', from: start, to: end })
              }}
            />
            {p.label}
          </label>
        ))}
      </fieldset>
      {choice.preset === 'custom' ? (
        <form className="row period-dates" onSubmit={apply} noValidate>
          <TextField label="From" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          <TextField
            label="To"
            type="date"
            value={to}
            error={error}
            onChange={(e) => setTo(e.target.value)}
          />
          <Button type="submit" variant="primary">
            Apply
          </Button>
        </form>
      ) : null}
    </div>
  )
}

const SCOPES: Record<string, string> = {
  all: "everyone's records",
  team: 'your team’s records: yours and those of everyone reporting to you',
  own: 'your own records',
}

/** What the figures cover, as the API applied it: the period (in the organisation's zone) and the scope. */
export function ReportScopeNote({ period, scope }: { period: ReportPeriod; scope: string }) {
  const day = (ymd: string) => formatDate(`${ymd}T00:00:00`)
  return (
    <p className="alert alert-info scope-note">
      {day(period.from)} – {day(period.to)}{' '}
      <span className="muted">(days in {period.timeZone.replace(/_/g, ' ')})</span>. Figures cover{' '}
      {SCOPES[scope] ?? scope}; records shared with you are not counted.
    </p>
  )
}
