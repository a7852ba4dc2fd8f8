import type { DraftLead } from '../lead/draft-lead.js'

export interface TerritoryDefinition {
  id: string
  name: string
  /** ISO 3166-1 alpha-2 codes; empty = any country. */
  countries: string[]
  /** State or region names, compared case-insensitively; empty = any. */
  states: string[]
  /** Industries, compared case-insensitively; empty = any. */
  industries: string[]
}

const matches = (wanted: string[], value: string | null) =>
  wanted.length === 0 || (value !== null && wanted.some((w) => w.toLowerCase() === value.toLowerCase()))

/**
 * The lead's territory: the first definition (in priority order) whose every non-empty
 * criterion matches. A territory with no criteria at all matches everyone, so it works
 * as a catch-all placed last.
 */
export function pickTerritory(
  lead: Pick<DraftLead, 'country' | 'state' | 'industry'>,
  territories: readonly TerritoryDefinition[],
): TerritoryDefinition | null {
  return (
    territories.find(
      (t) =>
        matches(t.countries, lead.country) &&
        matches(t.states, lead.state) &&
        matches(t.industries, lead.industry),
    ) ?? null
  )
}
