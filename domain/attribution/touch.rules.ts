import { parse as parseDomain } from 'tldts'
import type { AttributionInput, LeadChannel } from '../lead/lead-capture.js'
import { instantMs } from '../time/instant.rules.js'

/**
 * One marketing touch, as stored in the append-only touch ledger. First and last touch are
 * computed from the ledger (see {@link firstAndLastTouch}), never stored as mutable truth,
 * so merging two leads cannot lose either one's history.
 */
export interface Touch {
  channel: LeadChannel
  /** Lower-cased: "google", "facebook", "(direct)", "whatsapp"... */
  source: string
  /** Lower-cased: "cpc", "organic", "social", "referral", "(none)", "messaging"... */
  medium: string
  campaign: string | null
  term: string | null
  content: string | null
  referrer: string | null
  landingPage: string | null
  /** ISO 8601. */
  occurredAt: string
}

const MAX_TAG_LENGTH = 200
// URLs carry click ids (a gclid is ~100 characters), so they get the common 2,048-character
// URL budget rather than the 200 of a tag.
const MAX_URL_LENGTH = 2048

// GA4 reports a half of source/medium the tags leave out as "(not set)", and traffic with
// neither tags nor referrer as "(direct) / (none)":
// https://support.google.com/analytics/answer/9756891
const NOT_SET = '(not set)'
const DIRECT = { source: '(direct)', medium: '(none)' } as const

/**
 * The medium of a lead that did not arrive through a web page: the channel itself is what
 * brought it, so it stands in for the source and its kind for the medium. `null` marks the
 * web channel, which falls back to "(direct) / (none)" like GA4.
 */
const CHANNEL_MEDIUM: Record<LeadChannel, string | null> = {
  web_form: null,
  api: 'api',
  whatsapp: 'messaging',
  email: 'email',
  phone: 'phone',
  partner_api: 'partner',
  event: 'event',
  import: 'import',
}

// Search engines are matched on the registrable domain's label so every country domain
// counts (google.co.in, yandex.ru). GA4 lists these as "search sites" for Organic Search:
// https://support.google.com/analytics/answer/9756891
const SEARCH_ENGINES = new Set(['google', 'bing', 'duckduckgo', 'yahoo', 'yandex', 'baidu', 'ecosia'])

// Social sites by label, plus the short-link and renamed domains that stand for them, all
// reported under one source name so reports do not split one network in two
// (x.com and t.co are Twitter's; lnkd.in LinkedIn's; youtu.be YouTube's; wa.me WhatsApp's).
const SOCIAL_LABELS = new Set(['facebook', 'instagram', 'linkedin', 'twitter', 'youtube', 'whatsapp'])
const SOCIAL_DOMAINS = new Map<string, string>([
  ['x.com', 'twitter'],
  ['t.co', 'twitter'],
  ['fb.me', 'facebook'],
  ['lnkd.in', 'linkedin'],
  ['youtu.be', 'youtube'],
  ['wa.me', 'whatsapp'],
])

/**
 * Builds the touch a capture represents, in GA4's vocabulary so our numbers read like the
 * marketing team's analytics (https://support.google.com/analytics/answer/9756891).
 * Precedence: explicit fields, then the landing page's `utm_*` parameters, then ad click
 * ids (`gclid` → google/cpc, `fbclid` → facebook/paid_social), then the referrer (search
 * engine → organic, social site → social, another site → referral; a referrer on the
 * landing page's own site is ignored), then the channel itself ("(direct) / (none)" on the
 * web, e.g. whatsapp / messaging elsewhere). Tags beat click ids because a tagged link says
 * what the marketer meant (GA4 behaves so when manual tagging may override auto-tagging).
 *
 * Source and medium are lower-cased; every text field is trimmed and capped.
 * Deterministic: safe inside Temporal workflows.
 *
 * @param channel - The capture's channel.
 * @param input - Campaign data as received, if any.
 * @param occurredAt - When the touch happened (ISO 8601); the capture's `receivedAt`.
 */
export function touchFromCapture(
  channel: LeadChannel,
  input: AttributionInput | undefined,
  occurredAt: string,
): Touch {
  const referrer = clean(input?.referrer, MAX_URL_LENGTH)
  const landingPage = clean(input?.landingPage, MAX_URL_LENGTH)
  const landing = parseLandingPage(landingPage)
  const query = landing?.searchParams

  const tag = (explicit: string | undefined, param: string): string | null =>
    clean(explicit, MAX_TAG_LENGTH) ?? clean(query?.get(param) ?? undefined, MAX_TAG_LENGTH)

  const { source, medium } = sourceAndMedium(
    channel,
    tag(input?.source, 'utm_source'),
    tag(input?.medium, 'utm_medium'),
    query,
    referrer,
    landing?.site ?? null,
  )

  return {
    channel,
    source: lowerTag(source),
    medium: lowerTag(medium),
    campaign: tag(input?.campaign, 'utm_campaign'),
    term: tag(input?.term, 'utm_term'),
    content: tag(input?.content, 'utm_content'),
    referrer,
    landingPage,
    occurredAt,
  }
}

function sourceAndMedium(
  channel: LeadChannel,
  taggedSource: string | null,
  taggedMedium: string | null,
  query: URLSearchParams | undefined,
  referrer: string | null,
  landingSite: string | null,
): { source: string; medium: string } {
  const channelMedium = CHANNEL_MEDIUM[channel]

  // Tags are a pair: filling the missing half from the referrer would invent pairs nobody
  // tagged (a newsletter link opened in Gmail is not "organic"). Off the web the channel
  // itself is the medium, so it fills that half.
  if (taggedSource !== null || taggedMedium !== null) {
    return { source: taggedSource ?? NOT_SET, medium: taggedMedium ?? channelMedium ?? NOT_SET }
  }

  // Google Ads auto-tagging appends gclid (gbraid/wbraid on iOS) to the ad's landing page:
  // https://support.google.com/google-ads/answer/3095550
  if (query && (query.has('gclid') || query.has('gbraid') || query.has('wbraid'))) {
    return { source: 'google', medium: 'cpc' }
  }
  // Meta appends fbclid to outbound links:
  // https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/fbp-and-fbc/
  // It is added to organic post links too, so this leans paid; campaigns that need the
  // difference should carry utm tags, which win above.
  if (query?.has('fbclid')) return { source: 'facebook', medium: 'paid_social' }

  const fromReferrer = classifyReferrer(referrer, landingSite)
  if (fromReferrer) return fromReferrer

  return channelMedium === null ? { ...DIRECT } : { source: channel, medium: channelMedium }
}

function classifyReferrer(
  referrer: string | null,
  landingSite: string | null,
): { source: string; medium: string } | null {
  const url = parseAbsoluteUrl(referrer)
  // Only web pages refer; android-app:// and similar carry an app id, not a site.
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return null

  const host = siteOf(url.hostname)
  if (!host.site) return null
  // Moving between pages of our own site (or a sub-domain of it) is not a new touch.
  if (landingSite !== null && host.site === landingSite) return null

  const social =
    SOCIAL_DOMAINS.get(host.site) ??
    (host.icann && host.label && SOCIAL_LABELS.has(host.label) ? host.label : null)
  if (social) return { source: social, medium: 'social' }
  if (host.icann && host.label && SEARCH_ENGINES.has(host.label))
    return { source: host.label, medium: 'organic' }
  return { source: host.site, medium: 'referral' }
}

/**
 * The registrable domain of a host, with the Public Suffix List's private section on, so two
 * customers on *.vercel.app or *.blogspot.com are two sites (https://publicsuffix.org/).
 * `icann` is false for those private registrations: mysite.blogspot.com is not Google.
 * IP addresses and single-label hosts have no registrable domain; the host itself stands in.
 */
function siteOf(hostname: string): { site: string | null; label: string | null; icann: boolean } {
  const parsed = parseDomain(hostname, { allowPrivateDomains: true })
  const site = parsed.domain ?? (hostname === '' ? null : hostname.toLowerCase())
  return { site, label: parsed.domainWithoutSuffix, icann: parsed.isIcann === true }
}

function parseLandingPage(
  landingPage: string | null,
): { searchParams: URLSearchParams; site: string | null } | null {
  if (landingPage === null) return null
  const absolute = parseAbsoluteUrl(landingPage)
  if (absolute) return { searchParams: absolute.searchParams, site: siteOf(absolute.hostname).site }
  // A path such as "/pricing?utm_source=x" still carries the tags, just not the site.
  if (landingPage.startsWith('/') || landingPage.startsWith('?')) {
    try {
      return { searchParams: new URL(landingPage, 'https://relative.invalid').searchParams, site: null }
    } catch {
      return null
    }
  }
  return null
}

/** A URL, also when the channel sent it without a scheme ("www.google.com/"). */
function parseAbsoluteUrl(value: string | null): URL | null {
  if (value === null) return null
  for (const candidate of [value, `https://${value}`]) {
    try {
      const url = new URL(candidate)
      if (url.hostname !== '') return url
    } catch {
      // try the next form
    }
  }
  return null
}

function clean(value: string | undefined | null, max: number): string | null {
  const trimmed = value?.trim()
  if (!trimmed) return null
  // Cut on code points so an emoji at the boundary is not split into half a surrogate pair.
  const chars = Array.from(trimmed)
  return chars.length > max ? chars.slice(0, max).join('').trimEnd() : trimmed
}

function lowerTag(value: string): string {
  return clean(value.toLowerCase(), MAX_TAG_LENGTH) ?? value
}

/**
 * First and last touch over a ledger, ordered by `occurredAt` and, for equal times, by
 * position (a stable order). The ledgers of merged leads simply concatenate, so the answer
 * does not depend on which lead became the master unless two touches share a timestamp.
 *
 * Timestamps without an offset are read as UTC so the result never depends on the
 * machine's time zone. A touch whose time cannot be read never beats a dated one; when
 * none is dated, position alone decides.
 *
 * @param touches - The ledger of a lead and its duplicates, in any order.
 */
export function firstAndLastTouch(touches: readonly Touch[]): { first: Touch | null; last: Touch | null } {
  const indexed = touches.map((touch) => ({ touch, at: instantMs(touch.occurredAt) }))
  const dated = indexed.filter((t) => !Number.isNaN(t.at))
  const pool = dated.length > 0 ? dated : indexed.map((t) => ({ touch: t.touch, at: 0 }))

  let first = pool[0]
  let last = pool[0]
  for (const candidate of pool) {
    // Strictly earlier keeps the earliest position among ties; "at or after" takes the latest.
    if (first && candidate.at < first.at) first = candidate
    if (last && candidate.at >= last.at) last = candidate
  }
  return { first: first?.touch ?? null, last: last?.touch ?? null }
}
