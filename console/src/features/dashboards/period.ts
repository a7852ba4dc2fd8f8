/*
 * The period every chart on the dashboards covers, kept in the address (?period=30) so a
 * view can be shared or bookmarked. Days are the person's own calendar days: the browser's
 * time zone goes with every query (without it the API would count in the organisation's
 * zone, and "today" could be tomorrow there). "This quarter" sends no dates: the API's
 * default is the current calendar quarter.
 */

export const PRESETS = [
  { value: 'quarter', label: 'This quarter' },
  { value: '7', label: 'Last 7 days' },
  { value: '30', label: 'Last 30 days' },
  { value: '90', label: 'Last 90 days' },
  { value: 'custom', label: 'Dates…' },
] as const
export type Preset = (typeof PRESETS)[number]['value']

export interface PeriodChoice {
  preset: Preset
  from: string
  to: string
}

export const isPreset = (value: string | null): value is Preset => PRESETS.some((p) => p.value === value)

/** A calendar day in the browser's zone, 'YYYY-MM-DD'. */
export function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

/** The report query for a choice; `today` is a parameter so tests and renders agree. */
export function periodQuery(
  choice: PeriodChoice,
  today = new Date(),
  tz = Intl.DateTimeFormat().resolvedOptions().timeZone,
): { from?: string; to?: string; tz?: string } {
  const zone = tz ? { tz } : {}
  if (choice.preset === 'quarter') return zone
  if (choice.preset === 'custom')
    return { from: choice.from || undefined, to: choice.to || undefined, ...zone }
  const days = Number(choice.preset)
  const from = new Date(today)
  from.setDate(from.getDate() - (days - 1))
  return { from: localDay(from), to: localDay(today), ...zone }
}
