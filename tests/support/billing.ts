import type { FastifyInstance, InjectOptions } from 'fastify'
import { uuidv7 } from 'uuidv7'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { insertOpportunity } from '../../crm/opportunities.js'
import { gstinCheckCharacter } from '../../domain/account/gstin.rules.js'
import { indiaDate } from '../../domain/time/india-date.rules.js'
import { buildTestApp } from './app.js'
import { testConfig } from './config.js'
import { createTestDatabase, truncateAll, type TestDatabase } from './database.js'

/*
 * The billing tests' world: an API whose seller is registered in Maharashtra, and won deals
 * to order and invoice. One database per test file, emptied after each test.
 */

export const SELLER_GSTIN = '27AAPFU0939F1ZV' // Maharashtra
export const gstin = (first14: string) => `${first14}${gstinCheckCharacter(first14)}`
export const BUYER_KA = gstin('29AAGCB7383J1Z')
export const OWNER = 'user-owner'
export const LINES = [
  { description: 'Leadwire annual licence', hsnSac: '997331', quantity: 1, unitPrice: 100000, gstRate: 18 },
]
export const today = () => indiaDate(Date.now())

let pan = 1000
/** A fresh Maharashtra GSTIN (an account's GSTIN is unique). */
export const anotherMaharashtraGstin = () => gstin(`27AABCT${++pan}L1Z`)

export interface Buyer {
  gstin?: string | null
  stateCode?: string | null
  country?: string | null
}

export interface InvoiceBody {
  id: string
  number: string
  status: string
  taxRegime: string
  placeOfSupply: string
  subtotal: number
  cgst: number
  sgst: number
  igst: number
  roundOff: number
  total: number
  amountPaid: number
  balanceDue: number
  contactId: string | null
  issueDate: string
  dueDate: string
  overdue: boolean
  daysOverdue: number
  paidAt: string | null
  seller: { gstin: string | null }
  buyer: { gstin: string | null; stateCode: string | null; country: string }
  lines: { taxableValue: number; cgst: number; sgst: number; igst: number; total: number; quantity: number }[]
  payments: { id: string }[]
}

/** Registers the file's set-up and tear-down and returns what its tests call. */
export function useBillingApp() {
  let database: TestDatabase
  let app: FastifyInstance
  const db = () => database.db

  beforeAll(async () => {
    database = await createTestDatabase()
    app = await buildTestApp({
      config: testConfig({
        SELLER_GSTIN,
        SELLER_NAME: 'Leadwire Test Traders',
        INVOICE_PAYMENT_TERMS_DAYS: '15',
      }),
      db: database.db,
    })
  })
  afterAll(async () => {
    await app?.close()
    await database?.drop()
  })
  afterEach(async () => truncateAll(db()))

  const inject = (opts: InjectOptions | string) => app.inject(opts)
  const post = (url: string, payload: object) => app.inject({ method: 'POST', url, payload })

  /** An account (Maharashtra unless told) with a primary and a billing contact, and a won (or open) deal. */
  async function deal(buyer: Buyer = {}, stage = 'closed_won') {
    const g = buyer.gstin === undefined ? anotherMaharashtraGstin() : buyer.gstin
    await db().user.upsert({
      where: { id: OWNER },
      create: { id: OWNER, name: 'Kavya Iyer', email: 'kavya@leadwire.test', role: 'sales_rep' },
      update: {},
    })
    const accountId = uuidv7()
    const primaryId = uuidv7()
    const billingId = uuidv7()
    await db().account.create({
      data: {
        id: accountId,
        name: `Acme ${accountId.slice(-6)}`,
        gstin: g,
        stateCode: buyer.stateCode === undefined ? '27' : buyer.stateCode,
        country: buyer.country === undefined ? 'IN' : buyer.country,
        city: 'Pune',
        addressLine1: '12 MG Road',
        ownerId: OWNER,
        currency: 'INR',
        createdBy: 'test',
        updatedBy: 'test',
      },
    })
    await db().contact.createMany({
      data: [
        {
          id: primaryId,
          accountId,
          firstName: 'Meera',
          email: 'meera@acme.test',
          createdBy: 't',
          updatedBy: 't',
        },
        {
          id: billingId,
          accountId,
          firstName: 'Arjun',
          email: 'accounts@acme.test',
          roles: ['billing'],
          createdBy: 't',
          updatedBy: 't',
        },
      ],
    })
    await db().account.update({ where: { id: accountId }, data: { primaryContactId: primaryId } })
    const won = stage === 'closed_won'
    const opp = await db().$transaction((tx) =>
      insertOpportunity(
        tx,
        { actor: { id: 'test' } },
        {
          accountId,
          name: 'Annual plan',
          kind: 'new_business',
          amount: 118000,
          currency: 'INR',
          stage: stage as 'closed_won',
          probability: won ? 100 : 40,
          closeDate: today(),
          ownerId: OWNER,
          today: today(),
          at: new Date(),
        },
      ),
    )
    return { accountId, opportunityId: opp.id, billingId, primaryId, gstin: g }
  }

  async function order(opportunityId: string, lines: object[] = LINES) {
    const res = await post('/v1/orders', { opportunityId, lines })
    expect(res.statusCode, res.body).toBe(201)
    return res.json<{ id: string; number: string; lines: { id: string }[] }>()
  }

  async function invoice(payload: object) {
    const res = await post('/v1/invoices', payload)
    expect(res.statusCode, res.body).toBe(201)
    return res.json<InvoiceBody>()
  }

  return { db, inject, post, deal, order, invoice }
}
