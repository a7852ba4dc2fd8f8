import { useEffect, useId, useState } from 'react'
import { SelectField, TextField } from '../../ui/field'
import { Button } from '../../ui/button'
import { channelLabel, statusLabel } from './lead-format'
import { activeFilterCount, NO_FILTERS, type LeadFilters } from './lead-filters'
import { LEAD_CHANNELS, LEAD_SORTS, LEAD_STATUSES } from './lead.types'

const STATUS_OPTIONS = [
  { value: '', label: 'Any status' },
  ...LEAD_STATUSES.map((s) => ({ value: s, label: statusLabel(s) })),
]
const CHANNEL_OPTIONS = [
  { value: '', label: 'Any channel' },
  ...LEAD_CHANNELS.map((c) => ({ value: c, label: channelLabel(c) })),
]

/**
 * The list's filters. Selects and dates apply at once; the search applies after a short
 * pause in typing, so each keystroke does not send a request.
 */
export function LeadFilterBar({
  filters,
  onChange,
}: {
  filters: LeadFilters
  onChange: (next: LeadFilters, options?: { replace?: boolean }) => void
}) {
  const [text, setText] = useState(filters.q)
  const mineId = useId()
  // The address bar changed by itself (back button, a link): show its search.
  useEffect(() => setText(filters.q), [filters.q])
  useEffect(() => {
    if (text === filters.q) return
    const timer = window.setTimeout(() => onChange({ ...filters, q: text }, { replace: true }), 300)
    return () => window.clearTimeout(timer)
  }, [text, filters, onChange])

  const set = (patch: Partial<LeadFilters>) => onChange({ ...filters, ...patch })
  const short = text.trim().length === 1
  return (
    <form
      className="card lead-filters"
      role="search"
      aria-label="Filter leads"
      onSubmit={(e) => e.preventDefault()}
    >
      <div className="row">
        <TextField
          label="Search"
          type="search"
          name="q"
          value={text}
          placeholder="Name, email, phone or company"
          hint={short ? 'Type at least 2 characters.' : undefined}
          onChange={(e) => setText(e.target.value)}
          className="lead-search"
        />
        <SelectField
          label="Status"
          name="status"
          options={STATUS_OPTIONS}
          value={filters.status}
          onChange={(e) => set({ status: e.target.value })}
        />
        <SelectField
          label="Channel"
          name="channel"
          options={CHANNEL_OPTIONS}
          value={filters.channel}
          onChange={(e) => set({ channel: e.target.value })}
        />
        <TextField
          label="Min score"
          type="number"
          name="minScore"
          min={0}
          max={100}
          inputMode="numeric"
          value={filters.minScore}
          onChange={(e) => set({ minScore: e.target.value })}
          className="lead-score-input"
        />
        <TextField
          label="Created from"
          type="date"
          name="from"
          value={filters.from}
          max={filters.to || undefined}
          onChange={(e) => set({ from: e.target.value })}
        />
        <TextField
          label="Created to"
          type="date"
          name="to"
          value={filters.to}
          min={filters.from || undefined}
          onChange={(e) => set({ to: e.target.value })}
        />
        <SelectField
          label="Sort"
          name="sort"
          options={LEAD_SORTS}
          value={filters.sort}
          onChange={(e) => set({ sort: e.target.value })}
        />
      </div>
      <div className="row lead-filters-foot">
        <label className="check" htmlFor={mineId}>
          <input
            id={mineId}
            type="checkbox"
            checked={filters.mine}
            onChange={(e) => set({ mine: e.target.checked })}
          />
          Only my leads
        </label>
        {activeFilterCount(filters) > 0 ? (
          <Button
            variant="link"
            onClick={() => {
              setText('')
              onChange({ ...NO_FILTERS, sort: filters.sort })
            }}
          >
            Clear filters
          </Button>
        ) : null}
      </div>
    </form>
  )
}
