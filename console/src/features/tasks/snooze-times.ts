/*
 * Snooze presets in the person's own calendar (the browser's time zone): an hour from now,
 * tomorrow at 9:00, next Monday at 9:00. Pure functions of "now" so a test can pin them.
 */

export interface SnoozePreset {
  id: 'hour' | 'tomorrow' | 'next-week'
  label: string
  at: (now: Date) => Date
}

function atNine(day: Date): Date {
  const d = new Date(day)
  d.setHours(9, 0, 0, 0)
  return d
}

export const SNOOZE_PRESETS: readonly SnoozePreset[] = [
  { id: 'hour', label: '1 hour', at: (now) => new Date(now.getTime() + 3_600_000) },
  {
    id: 'tomorrow',
    label: 'Tomorrow 9:00',
    at: (now) => {
      const d = new Date(now)
      d.setDate(d.getDate() + 1)
      return atNine(d)
    },
  },
  {
    id: 'next-week',
    label: 'Next week (Monday 9:00)',
    at: (now) => {
      const d = new Date(now)
      // Days until the next Monday; a Monday goes to the one after.
      d.setDate(d.getDate() + ((8 - d.getDay()) % 7 || 7))
      return atNine(d)
    },
  },
]

/** A Date as a datetime-local input's value (local time, minutes). */
export function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** The browser's IANA time zone, which decides what "today" is for the inbox. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}
