import type { ContactChannel, LeadChannel } from './lead-capture.js'

/** Company size buckets (employees), the way sales teams segment accounts. */
export const COMPANY_SIZES = ['1-10', '11-50', '51-200', '201-500', '501-1000', '1001-5000', '5001+'] as const
export type CompanySize = (typeof COMPANY_SIZES)[number]

/**
 * A capture after normalisation: every field in canonical form (emails lower-case,
 * phones E.164, countries ISO 3166-1 alpha-2, domains registrable). This is what the
 * remaining steps decide on and what is stored.
 */
export interface DraftLead {
  channel: LeadChannel
  receivedAt: string
  externalId: string | null

  firstName: string | null
  lastName: string | null
  /** Lower-cased, trimmed. */
  email: string | null
  /** Registrable domain of the email (example.co.in), also for free-mail providers. */
  emailDomain: string | null
  /** True for gmail.com, yahoo.co.in, rediffmail.com...: the domain says nothing about the company. */
  freeEmail: boolean
  /** E.164, e.g. +919876543210. */
  phone: string | null
  /** ISO 3166-1 alpha-2 of the phone number's country. */
  phoneCountry: string | null
  /** Mobile, fixed line... as libphonenumber classifies it (null when unknown). */
  phoneType: string | null
  company: string | null
  title: string | null
  website: string | null
  /** Registrable company domain: from the website, else from a non-free email. */
  companyDomain: string | null
  industry: string | null
  companySize: CompanySize | null
  annualRevenue: number | null
  currency: string | null
  country: string | null
  state: string | null
  city: string | null

  budget: string | null
  authority: string | null
  need: string | null
  timeline: string | null

  honeypot: string | null
}

export type ValidationSeverity = 'error' | 'warning'

/** A problem found in a capture; errors reject it, warnings are recorded on the lead. */
export interface ValidationIssue {
  /** Field name in the capture, e.g. "email". */
  field: string
  code: string
  message: string
  severity: ValidationSeverity
}

export interface SpamAssessment {
  /** 0 (clean) to 100 (certainly spam). */
  score: number
  /** Every signal that added to the score, with its weight. */
  signals: { code: string; weight: number; detail: string }[]
}

/** The consent state a lead is created with, derived from the capture's evidence. */
export interface ConsentDecision {
  status: 'granted' | 'denied' | 'unknown'
  grantedChannels: ContactChannel[]
  at: string | null
  source: string | null
  textVersion: string | null
  /** Numbers on India's National Do Not Call registry (TRAI NCPR) must not get promotional calls/SMS. */
  dnd: boolean
}
