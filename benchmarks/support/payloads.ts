import { fakerEN_GB, fakerEN_IN, fakerEN_US, fakerNE, type Faker } from '@faker-js/faker'
import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import type { CaptureLeadBody } from '../../api/schemas/lead.schema.js'
import { seedLead } from './seed-data.js'

/*
 * Realistic, varied POST /v1/leads bodies, reproducible (faker seeded): mostly Indian
 * leads (some names in Devanagari), some from the US and the UK, emails at company domains and
 * at the big mail providers, Indian phone numbers in the forms people type them, consent on
 * ~70% (always for the UK, where it is required), UTM attribution on ~60%. About 10% are
 * repeat captures of a known person: an email sent earlier in this run, or a seeded lead's
 * email or phone, so the dedupe path runs as often as it does in production.
 */

type Country = 'IN' | 'US' | 'GB'

const DUPLICATE_SHARE = 0.1
/** Repeats of this run's emails skip the newest ones (probably still in flight). */
const IN_FLIGHT_GAP = 64

const TITLES = [
  'CEO',
  'Founder',
  'Co-founder',
  'CTO',
  'VP Sales',
  'Head of Marketing',
  'Marketing Manager',
  'Engineer',
  'Software Engineer',
  'Procurement Manager',
  'Purchase Head',
  'Director',
  'Operations Manager',
  'HR Manager',
  'Consultant',
  'Student',
]
const INDUSTRIES = [
  'Software',
  'Manufacturing',
  'Retail',
  'Healthcare',
  'Education',
  'Logistics',
  'Financial Services',
  'Real Estate',
  'Hospitality',
  'Automotive',
]
const SIZES = ['1-10', '11-50', '51-200', '201-500', '501-1000', '1000+', '5000+']
const MAIL_PROVIDERS: Record<Country, string[]> = {
  IN: ['gmail.com', 'yahoo.co.in', 'outlook.com', 'rediffmail.com', 'hotmail.com'],
  US: ['gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com'],
  GB: ['gmail.com', 'outlook.com', 'btinternet.com', 'yahoo.co.uk'],
}
const COMPANY_TLDS: Record<Country, string[]> = {
  IN: ['in', 'co.in', 'com'],
  US: ['com', 'io', 'com'],
  GB: ['co.uk', 'com'],
}
// Mobile prefixes outside the seeds' +91 98 0...: a new person's number is new.
const IN_MOBILE_PREFIXES = [
  '97',
  '99',
  '96',
  '93',
  '90',
  '88',
  '87',
  '79',
  '70',
  '63',
  '81',
  '89',
  '94',
  '95',
]
const US_AREA_CODES = ['212', '415', '646', '312', '617', '206', '512', '305', '404', '703']
const UTM = [
  { source: 'google', medium: 'cpc', campaign: 'brand-search' },
  { source: 'google', medium: 'cpc', campaign: 'crm-software-india' },
  { source: 'facebook', medium: 'paid_social', campaign: 'diwali-2026' },
  { source: 'instagram', medium: 'paid_social', campaign: 'diwali-2026' },
  { source: 'linkedin', medium: 'paid_social', campaign: 'q4-webinar' },
  { source: 'newsletter', medium: 'email', campaign: 'nov-product-update' },
  { source: 'partner', medium: 'referral', campaign: 'reseller-program' },
  { source: 'expo', medium: 'offline', campaign: 'expo-mumbai-2026' },
]
const PAGES = ['pricing', 'demo', 'contact', 'features/whatsapp', 'blog/lead-scoring', 'ebook/sales-playbook']
const CONSENT_TEXT =
  'I agree to be contacted by Leadwire by phone, WhatsApp, SMS and email about its products. ' +
  'I can withdraw my consent at any time.'

const ascii = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '')

export interface PayloadMix {
  total: number
  repeatOfRun: number
  repeatOfSeedEmail: number
  repeatOfSeedPhone: number
}

export class PayloadGenerator {
  readonly mix: PayloadMix = { total: 0, repeatOfRun: 0, repeatOfSeedEmail: 0, repeatOfSeedPhone: 0 }
  private seq = 0
  private readonly earlierEmails: string[] = []
  private readonly f: Faker = fakerEN_IN

  /** `seed` 42 on a fresh database; another one when earlier runs' captures are there to collide with. */
  constructor(
    private readonly seededLeads: number,
    seed = 42,
  ) {
    fakerEN_IN.seed(seed)
    fakerNE.seed(seed + 1)
    fakerEN_US.seed(seed + 2)
    fakerEN_GB.seed(seed + 3)
  }

  next(): CaptureLeadBody {
    this.mix.total++
    this.seq++
    const f = this.f
    const body = this.person()
    if (f.datatype.boolean({ probability: DUPLICATE_SHARE })) this.makeRepeat(body)
    else if (body.email) this.earlierEmails.push(body.email)
    return body
  }

  /** Turns a fresh body into a repeat capture of someone already known. */
  private makeRepeat(body: CaptureLeadBody) {
    const f = this.f
    const kind = f.helpers.weightedArrayElement([
      ...(this.earlierEmails.length > IN_FLIGHT_GAP * 4 ? [{ weight: 4, value: 'run' as const }] : []),
      { weight: 4, value: 'seedEmail' as const },
      { weight: 2, value: 'seedPhone' as const },
    ])
    if (kind === 'run') {
      this.mix.repeatOfRun++
      const oldest = this.earlierEmails.length - IN_FLIGHT_GAP
      const email = this.earlierEmails[f.number.int({ min: 0, max: oldest - 1 })] ?? ''
      // People retype their address: case differs, the key must not.
      body.email = f.datatype.boolean({ probability: 0.3 }) ? email.toUpperCase() : email
      return
    }
    const seed = seedLead(f.number.int({ min: 1, max: this.seededLeads }))
    body.firstName = seed.firstName
    body.lastName = seed.lastName
    body.company = seed.company
    body.country = 'IN'
    delete body.state
    delete body.city
    if (body.consent) body.consent.granted = true
    if (kind === 'seedEmail') {
      this.mix.repeatOfSeedEmail++
      body.email = f.datatype.boolean({ probability: 0.2 }) ? seed.email.replace(/^s/, 'S') : seed.email
      delete body.phone
    } else {
      this.mix.repeatOfSeedPhone++
      const national = seed.phone.slice(3) // +91 dropped: 98xxxxxxxx
      body.phone = f.helpers.arrayElement([
        `0${national}`,
        `+91 ${national.slice(0, 5)} ${national.slice(5)}`,
        `${national.slice(0, 5)}-${national.slice(5)}`,
      ])
      delete body.email
    }
  }

  private person(): CaptureLeadBody {
    const f = this.f
    const country = f.helpers.weightedArrayElement<Country>([
      { weight: 80, value: 'IN' },
      { weight: 12, value: 'US' },
      { weight: 8, value: 'GB' },
    ])
    const local = country === 'IN' ? fakerEN_IN : country === 'US' ? fakerEN_US : fakerEN_GB
    // A fifth of Indian leads type their name in Devanagari; their email is still ASCII.
    const display = country === 'IN' && f.datatype.boolean({ probability: 0.25 }) ? fakerNE : local
    const firstName = display.person.firstName()
    const lastName = display.person.lastName()
    const [mailFirst, mailLast] =
      display === local ? [firstName, lastName] : [local.person.firstName(), local.person.lastName()]

    const companyName = local.company.name()
    const legal = country === 'IN' ? f.helpers.arrayElement([' Pvt Ltd', ' Private Limited', '', ' LLP']) : ''
    const company = `${companyName}${legal}`
    const companyDomain = `${ascii(companyName).slice(0, 30) || 'company'}.${f.helpers.arrayElement(COMPANY_TLDS[country])}`

    const channel = f.helpers.weightedArrayElement([
      { weight: 50, value: 'web_form' as const },
      { weight: 15, value: 'api' as const },
      { weight: 10, value: 'whatsapp' as const },
      { weight: 8, value: 'email' as const },
      { weight: 7, value: 'partner_api' as const },
      { weight: 5, value: 'event' as const },
      { weight: 5, value: 'phone' as const },
    ])
    const body: CaptureLeadBody = { channel, firstName, lastName, company }

    const hasPhone =
      channel === 'whatsapp' || channel === 'phone' || f.datatype.boolean({ probability: 0.85 })
    const hasEmail = !hasPhone || f.datatype.boolean({ probability: 0.9 })
    if (hasEmail) body.email = this.email(country, mailFirst, mailLast, companyDomain)
    if (hasPhone) body.phone = this.phone(country)

    body.title = f.helpers.arrayElement(TITLES)
    if (f.datatype.boolean({ probability: 0.5 }))
      body.website = f.datatype.boolean() ? `https://www.${companyDomain}` : companyDomain
    if (f.datatype.boolean({ probability: 0.6 })) body.industry = f.helpers.arrayElement(INDUSTRIES)
    if (f.datatype.boolean({ probability: 0.6 }))
      body.companySize = f.datatype.boolean({ probability: 0.85 })
        ? f.helpers.arrayElement(SIZES)
        : f.number.int({ min: 1, max: 20_000 })
    if (f.datatype.boolean({ probability: 0.25 })) {
      body.annualRevenue = f.number.int({ min: 1_000_000, max: 5_000_000_000 })
      body.currency = country === 'IN' ? 'INR' : country === 'US' ? 'USD' : 'GBP'
    }
    const names = { IN: 'India', US: 'United States', GB: 'United Kingdom' }
    body.country = f.datatype.boolean({ probability: 0.1 }) ? names[country] : country
    if (f.datatype.boolean({ probability: 0.7 })) {
      body.state = country === 'GB' ? local.location.county() : local.location.state()
      body.city = local.location.city()
    }
    if (channel === 'partner_api' || channel === 'whatsapp') body.externalId = `${channel}-${this.seq}`

    // Consent: required for the UK (UK GDPR), on ~70% elsewhere.
    if (country === 'GB' || f.datatype.boolean({ probability: 0.7 })) {
      body.consent = {
        granted: country === 'GB' || f.datatype.boolean({ probability: 0.92 }),
        at: f.date.recent({ days: 1 }).toISOString(),
        source: `${channel}:${f.helpers.arrayElement(PAGES)}`,
        textVersion: f.helpers.arrayElement(['2026-10', 'v3']),
        channels: f.helpers.arrayElements(['email', 'whatsapp', 'sms', 'phone'] as const, { min: 1, max: 4 }),
      }
      if (f.datatype.boolean({ probability: 0.5 })) body.consent.text = CONSENT_TEXT
    }
    if (f.datatype.boolean({ probability: 0.6 })) body.attribution = this.attribution()
    return body
  }

  private email(country: Country, first: string, last: string, companyDomain: string): string {
    const f = this.f
    const a = ascii(first) || 'lead'
    const b = ascii(last) || 'contact'
    if (f.datatype.boolean({ probability: 0.3 })) {
      // Personal mailboxes are crowded: people add digits (and we keep them unique per run).
      const user = f.helpers.arrayElement([`${a}.${b}`, `${a}${b}`, `${a}_${b}`, `${a[0]}${b}`])
      return `${user}${this.seq}@${f.helpers.arrayElement(MAIL_PROVIDERS[country])}`
    }
    const user = f.helpers.arrayElement([`${a}.${b}`, `${a}`, `${a[0]}.${b}`, `${a}${b[0]}`])
    return `${user}@${companyDomain}`
  }

  /** A number valid in libphonenumber's full metadata (ingestion refuses invalid ones with a 422). */
  private phone(country: Country): string {
    for (;;) {
      const phone = this.phoneCandidate(country)
      if (parsePhoneNumberFromString(phone, country)?.isValid()) return phone
    }
  }

  private phoneCandidate(country: Country): string {
    const f = this.f
    if (country === 'IN') {
      const n = `${f.helpers.arrayElement(IN_MOBILE_PREFIXES)}${f.string.numeric(8)}`
      return f.helpers.weightedArrayElement([
        { weight: 35, value: `+91 ${n.slice(0, 5)} ${n.slice(5)}` },
        { weight: 20, value: `0${n}` },
        { weight: 30, value: n },
        { weight: 10, value: `+91-${n}` },
        { weight: 5, value: `+91${n}` },
      ])
    }
    if (country === 'US') {
      const exchange = `${f.number.int({ min: 2, max: 9 })}${f.string.numeric(2)}`
      const line = f.string.numeric(4)
      return `+1 (${f.helpers.arrayElement(US_AREA_CODES)}) ${exchange === '555' ? '556' : exchange}-${line}`
    }
    return f.datatype.boolean({ probability: 0.8 })
      ? `+44 7${f.helpers.arrayElement(['4', '5', '7', '8', '9'])}${f.string.numeric(2)} ${f.string.numeric(6)}`
      : `+44 20 7${f.string.numeric(3)} ${f.string.numeric(4)}`
  }

  private attribution(): NonNullable<CaptureLeadBody['attribution']> {
    const f = this.f
    const utm = f.helpers.arrayElement(UTM)
    const page = `https://www.leadwire.example/${f.helpers.arrayElement(PAGES)}`
    const style = f.helpers.weightedArrayElement([
      { weight: 5, value: 'landing' as const },
      { weight: 3, value: 'fields' as const },
      { weight: 2, value: 'referrer' as const },
    ])
    if (style === 'landing') {
      const term = utm.medium === 'cpc' ? `&utm_term=${encodeURIComponent('lead management software')}` : ''
      return {
        landingPage: `${page}?utm_source=${utm.source}&utm_medium=${utm.medium}&utm_campaign=${utm.campaign}${term}`,
        ...(f.datatype.boolean() ? { referrer: `https://www.${utm.source}.com/` } : {}),
      }
    }
    if (style === 'fields')
      return { ...utm, content: f.helpers.arrayElement(['banner-a', 'banner-b', 'video']) }
    return {
      referrer: f.helpers.arrayElement(['https://www.google.com/', 'https://duckduckgo.com/']),
      landingPage: page,
    }
  }
}
