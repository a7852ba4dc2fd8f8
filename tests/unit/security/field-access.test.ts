import { describe, expect, it } from 'vitest'
import { hiddenFields, unwritableFields } from '../../../domain/security/field-access.rules.js'
import { builtInRole, type FieldRules, type RoleDefinition } from '../../../domain/security/roles.rules.js'
import { forbiddenWrites, readRedactor, redactAuditEntry } from '../../../security/field-access.js'

/*
 * Field rules on plain payloads: what a role reads as null, where records sit in an answer
 * (pages, nested records, values that repeat a field), and which body fields a write refuses.
 */

const role = (fieldRules: FieldRules, name = 'custom'): RoleDefinition => ({
  name,
  title: name,
  permissions: {},
  rowScopes: {},
  fieldRules,
})
const sdr = builtInRole('sdr')!
const marketing = builtInRole('marketing')!
const admin = builtInRole('admin')!

describe('the rules', () => {
  it('hides only restrictable fields, with the fields derived from them', () => {
    const rules: FieldRules = { lead: { email: 'hidden', phone: 'read_only', firstName: 'hidden' } }
    expect(hiddenFields(rules, 'lead')).toEqual(['email', 'emailDomain'])
    expect(hiddenFields(rules, 'account')).toEqual([])
  })

  it('lets a read-only field be set when a record is created, never changed; a hidden one never', () => {
    expect([...unwritableFields(sdr.fieldRules, 'account', 'create')]).toEqual([['annualRevenue', 'hidden']])
    expect([...unwritableFields(sdr.fieldRules, 'account', 'update')]).toEqual([
      ['annualRevenue', 'hidden'],
      ['gstin', 'read_only'],
    ])
    expect([...unwritableFields(sdr.fieldRules, 'opportunity', 'create')]).toEqual([])
  })
})

describe('readRedactor', () => {
  it('is null when the role has no rule for the records of the route (nothing is walked)', () => {
    expect(readRedactor(admin, 'lead')).toBeNull()
    expect(readRedactor(marketing, 'account')).toBeNull()
    expect(readRedactor(sdr, 'lead')).toBeNull()
    expect(readRedactor(sdr, 'task')).toBeNull()
    expect(readRedactor(sdr, 'account')).not.toBeNull()
    // Kept per role definition: asked again, the same plan.
    expect(readRedactor(sdr, 'account')).toBe(readRedactor(sdr, 'account'))
  })

  it('nulls hidden fields in a record, a page and a nested record, and leaves the original alone', () => {
    const redact = readRedactor(
      role({ account: { annualRevenue: 'hidden' }, contact: { phone: 'hidden' } }),
      'account',
    )!
    const detail = {
      id: 'a1',
      annualRevenue: 5_000_000,
      gstin: '27AAPFU0939F1ZV',
      primaryContact: { id: 'c1', email: 'meera@acme.in', phone: '+919876543210' },
    }
    expect(redact(detail)).toEqual({
      id: 'a1',
      annualRevenue: null,
      gstin: '27AAPFU0939F1ZV',
      primaryContact: { id: 'c1', email: 'meera@acme.in', phone: null },
    })
    expect(detail.annualRevenue).toBe(5_000_000)
    expect(detail.primaryContact.phone).toBe('+919876543210')

    const page = {
      items: [
        { id: 'a1', annualRevenue: 1 },
        { id: 'a2', annualRevenue: null },
      ],
      nextCursor: 'x',
    }
    expect(redact(page)).toEqual({
      items: [
        { id: 'a1', annualRevenue: null },
        { id: 'a2', annualRevenue: null },
      ],
      nextCursor: 'x',
    })
    expect(redact({ id: 'a3', primaryContact: null })).toEqual({ id: 'a3', primaryContact: null })
  })

  it("blanks a hidden field's before and after in a history entry", () => {
    const redact = readRedactor(sdr, 'account')!
    const entry = {
      id: '7',
      action: 'update',
      changes: { annualRevenue: { from: 1, to: 2 }, name: { from: 'A', to: 'B' } },
    }
    expect(redact({ items: [entry], nextCursor: null })).toEqual({
      items: [
        {
          id: '7',
          action: 'update',
          changes: { annualRevenue: { from: null, to: null }, name: { from: 'A', to: 'B' } },
        },
      ],
      nextCursor: null,
    })
  })

  it("blanks hidden fields in an audit entry by the entry's entity", () => {
    const entry = {
      entity: 'lead',
      changes: { phone: { from: 'a', to: 'b' }, email: { from: 'c', to: 'd' } },
    }
    expect(redactAuditEntry(marketing, entry).changes).toEqual({
      phone: { from: null, to: null },
      email: { from: 'c', to: 'd' },
    })
    expect(redactAuditEntry(marketing, { ...entry, entity: 'task' })).toEqual({ ...entry, entity: 'task' })
    expect(redactAuditEntry(admin, entry)).toBe(entry)
  })

  it("scrubs a lead's values that repeat a hidden field: score details and duplicate match keys", () => {
    const redact = readRedactor(role({ lead: { phone: 'hidden', annualRevenue: 'hidden' } }), 'lead')!
    const lead = {
      id: 'l1',
      phone: '+919876543210',
      email: 'meera@acme.in',
      annualRevenue: 5e7,
      scoring: {
        score: 40,
        breakdown: [
          { ruleId: 'r1', label: 'Big company', points: 20, detail: 'annualRevenue 50000000 INR ≥ 10000000' },
          { ruleId: 'r2', label: 'Title', points: 20, detail: 'title matches "vp"' },
        ],
      },
      duplicateReason: { kind: 'phone', key: 'phone:+919876543210' },
      duplicates: [
        { id: 'l2', reason: { kind: 'phone', key: 'phone:+919876543210' } },
        { id: 'l3', reason: { kind: 'email', key: 'email:meera@acme.in' } },
      ],
    }
    expect(redact(lead)).toEqual({
      id: 'l1',
      phone: null,
      email: 'meera@acme.in',
      annualRevenue: null,
      scoring: {
        score: 40,
        breakdown: [
          { ruleId: 'r1', label: 'Big company', points: 20, detail: 'annualRevenue (hidden from your role)' },
          { ruleId: 'r2', label: 'Title', points: 20, detail: 'title matches "vp"' },
        ],
      },
      duplicateReason: { kind: 'phone', key: null },
      duplicates: [
        { id: 'l2', reason: { kind: 'phone', key: null } },
        { id: 'l3', reason: { kind: 'email', key: 'email:meera@acme.in' } },
      ],
    })
  })

  it('hides the email domain with the email', () => {
    const redact = readRedactor(role({ lead: { email: 'hidden' } }), 'lead')!
    expect(redact({ email: 'meera@acme.in', emailDomain: 'acme.in', phone: '+91' })).toEqual({
      email: null,
      emailDomain: null,
      phone: '+91',
    })
  })

  it("applies the lead's rules to the contact a conversion preview makes from it", () => {
    const redact = readRedactor(marketing, 'journey')!
    expect(
      redact({
        account: { name: 'Acme', gstin: '27AAPFU0939F1ZV' },
        contact: { email: 'meera@acme.in', phone: '+919876543210' },
        opportunity: { amount: 100 },
      }),
    ).toEqual({
      account: { name: 'Acme', gstin: '27AAPFU0939F1ZV' },
      contact: { email: 'meera@acme.in', phone: null },
      opportunity: { amount: 100 },
    })
  })
})

describe('forbiddenWrites', () => {
  it('names each hidden field of a create and each hidden or read-only field of an update', () => {
    expect(forbiddenWrites(marketing, 'lead', 'create', { firstName: 'A', phone: '+91' })).toEqual([
      { pointer: '/body/phone', message: expect.stringContaining('hidden from your role (marketing)') },
    ])
    expect(forbiddenWrites(sdr, 'account', 'create', { name: 'A', gstin: 'X' })).toEqual([])
    expect(
      forbiddenWrites(sdr, 'account', 'update', { name: 'A', gstin: null, annualRevenue: 1 }).map(
        (e) => e.pointer,
      ),
    ).toEqual(['/body/annualRevenue', '/body/gstin'])
    expect(forbiddenWrites(sdr, 'account', 'update', { name: 'A' })).toEqual([])
    expect(forbiddenWrites(admin, 'account', 'update', { gstin: 'X' })).toEqual([])
  })

  it('refuses a search by a hidden field, not by a read-only one', () => {
    expect(forbiddenWrites(marketing, 'lead', 'search', { phone: '+91' }).map((e) => e.pointer)).toEqual([
      '/body/phone',
    ])
    expect(forbiddenWrites(sdr, 'account', 'search', { gstin: 'X' })).toEqual([])
  })

  it('leaves bodies of routes over other objects alone', () => {
    const strict = role({ account: { gstin: 'hidden' } })
    expect(forbiddenWrites(strict, 'role', 'update', { account: { gstin: 'hidden' } })).toEqual([])
  })

  it('checks a record nested under its object name (a conversion sends account and opportunity)', () => {
    const strict = role({ account: { gstin: 'hidden' }, opportunity: { amount: 'read_only' } })
    expect(
      forbiddenWrites(strict, 'account', 'create', { account: { gstin: 'X' }, opportunity: { amount: 1 } }),
    ).toEqual([{ pointer: '/body/account/gstin', message: expect.any(String) }])
    expect(forbiddenWrites(strict, 'opportunity', 'update', { amount: 1 }).map((e) => e.pointer)).toEqual([
      '/body/amount',
    ])
  })
})
