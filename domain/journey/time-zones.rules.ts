import { getCountry } from 'countries-and-timezones'
import { isValidTimeZone } from './quiet-hours.rules.js'

/**
 * The time zones a lead may be in, for quiet hours: the zone the channel reported (a web
 * form's browser zone) when it is a real IANA zone; else every zone of the lead's country
 * (quiet-hours rules then send only when it is daytime in all of them, the safe choice
 * for a country spanning several zones); else the fallback.
 */
export function zonesForLead(
  lead: { timeZone: string | null; country: string | null },
  fallback: string,
): string[] {
  if (lead.timeZone && isValidTimeZone(lead.timeZone)) return [lead.timeZone]
  const zones = lead.country ? (getCountry(lead.country.toUpperCase())?.timezones ?? []) : []
  const valid = zones.filter(isValidTimeZone)
  return valid.length > 0 ? valid : [fallback]
}
