import { Factory } from 'fishery'
import type { DraftLead } from '../../domain/lead/draft-lead.js'

/**
 * A normalised lead with every optional field empty: null, and `freeEmail` false. A web-form
 * capture received at 2026-11-02T10:00:00.000Z unless the overrides say otherwise.
 *
 * @example draftLeadFactory.build({ country: 'IN', state: 'Kerala' })
 */
export const draftLeadFactory = Factory.define<DraftLead>(() => ({
  channel: 'web_form',
  receivedAt: '2026-11-02T10:00:00.000Z',
  externalId: null,
  firstName: null,
  lastName: null,
  email: null,
  emailDomain: null,
  freeEmail: false,
  phone: null,
  phoneCountry: null,
  phoneType: null,
  company: null,
  title: null,
  website: null,
  companyDomain: null,
  industry: null,
  companySize: null,
  annualRevenue: null,
  currency: null,
  country: null,
  state: null,
  city: null,
  budget: null,
  authority: null,
  need: null,
  timeline: null,
  honeypot: null,
}))
