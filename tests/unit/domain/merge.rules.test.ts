import { describe, expect, it } from 'vitest'
import { MERGEABLE_FIELDS, mergeLeads, type MergeableLead } from '../../../domain/dedupe/merge.rules.js'
import { draftLeadFactory } from '../../factories/draft-lead.factory.js'

const EMPTY: MergeableLead = draftLeadFactory.build()

const lead = (fields: Partial<MergeableLead>): MergeableLead => ({ ...EMPTY, ...fields })

describe('mergeLeads', () => {
  it.each<
    [string, Partial<MergeableLead>, Partial<MergeableLead>, Partial<MergeableLead>, string[], string[]]
  >([
    [
      'fills the master’s empty fields from the duplicate',
      { firstName: 'Asha', email: 'asha@acme.in' },
      { firstName: 'Asha', phone: '+919876543210', company: 'Acme', city: 'Pune' },
      { phone: '+919876543210', company: 'Acme', city: 'Pune' },
      ['phone', 'company', 'city'],
      [],
    ],
    [
      'never overwrites a master value, and lists the ones that differ as kept',
      { email: 'asha@acme.in', title: 'CTO', companySize: '51-200' },
      { email: 'asha.rao@acme.in', title: 'CTO', companySize: '201-500' },
      {},
      [],
      ['email', 'companySize'],
    ],
    [
      'fills and keeps in one merge',
      { firstName: 'Asha', lastName: null, annualRevenue: 5_000_000, need: 'CRM' },
      { firstName: 'Aasha', lastName: 'Rao', annualRevenue: 7_500_000, timeline: 'Q1' },
      { lastName: 'Rao', timeline: 'Q1' },
      ['lastName', 'timeline'],
      ['firstName', 'annualRevenue'],
    ],
    [
      'a blank master string counts as empty',
      { company: '  ', industry: '' },
      { company: 'Acme', industry: 'Software' },
      { company: 'Acme', industry: 'Software' },
      ['company', 'industry'],
      [],
    ],
    [
      'zero revenue is a value, not an empty field',
      { annualRevenue: 0 },
      { annualRevenue: 1_000_000 },
      {},
      [],
      ['annualRevenue'],
    ],
    [
      'an empty or blank duplicate field changes nothing',
      { email: 'asha@acme.in' },
      { email: null, company: ' ' },
      {},
      [],
      [],
    ],
    ['two empty leads', {}, {}, {}, [], []],
  ])('%s', (_name, master, duplicate, patch, filled, kept) => {
    expect(mergeLeads(lead(master), lead(duplicate))).toEqual({ patch, filled, kept })
  })

  it('fills every mergeable field of an empty master, in a fixed order', () => {
    const full: MergeableLead = {
      firstName: 'Asha',
      lastName: 'Rao',
      email: 'asha@acme.in',
      phone: '+919876543210',
      company: 'Acme',
      title: 'CTO',
      website: 'https://acme.in',
      companyDomain: 'acme.in',
      industry: 'Software',
      companySize: '51-200',
      annualRevenue: 5_000_000,
      country: 'IN',
      state: 'Maharashtra',
      city: 'Pune',
      budget: '10 lakh',
      authority: 'decision maker',
      need: 'CRM',
      timeline: 'Q1',
    }
    const result = mergeLeads(EMPTY, full)
    expect(result.patch).toEqual(full)
    expect(result.filled).toEqual([...MERGEABLE_FIELDS])
    expect(result.kept).toEqual([])
  })

  it('touches only the mergeable fields of a larger record', () => {
    type Row = MergeableLead & { id: string; score: number; engagement: Record<string, number> }
    const master: Row = {
      ...lead({ email: 'asha@acme.in' }),
      id: 'm',
      score: 10,
      engagement: { emailOpen: 1 },
    }
    const duplicate: Row = { ...lead({ city: 'Pune' }), id: 'd', score: 90, engagement: { call: 2 } }
    expect(mergeLeads(master, duplicate)).toEqual({ patch: { city: 'Pune' }, filled: ['city'], kept: [] })
  })

  it('changes neither lead', () => {
    const master = lead({ email: 'asha@acme.in' })
    const duplicate = lead({ email: 'other@acme.in', city: 'Pune' })
    const before = [structuredClone(master), structuredClone(duplicate)]
    mergeLeads(master, duplicate)
    expect([master, duplicate]).toEqual(before)
  })

  it('lists exactly the fields of the written policy', () => {
    expect(MERGEABLE_FIELDS).toEqual([
      'firstName',
      'lastName',
      'email',
      'phone',
      'company',
      'title',
      'website',
      'companyDomain',
      'industry',
      'companySize',
      'annualRevenue',
      'country',
      'state',
      'city',
      'budget',
      'authority',
      'need',
      'timeline',
    ])
  })
})
