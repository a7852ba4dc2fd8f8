import type { FastifyInstance } from 'fastify'
import { expect } from 'vitest'
import type { Db } from '../../../platform/database/prisma.js'

export const BASE_URL = 'https://forms.leadwire.test'
export const SITE = 'https://www.acme-tools.example'
export const WORDING = 'I agree that Acme Tools may contact me about my enquiry by email and WhatsApp.'

/** The pricing form most tests post to: a full name, email, phone, company and a consent box. */
export const pricingForm = (overrides: Record<string, unknown> = {}) => ({
  id: 'pricing',
  name: 'Pricing enquiry',
  fieldMapping: {
    your_name: 'fullName',
    work_email: 'email',
    mobile: 'phone',
    org: 'company',
    agree: 'consent',
  },
  allowedOrigins: [SITE],
  consentText: WORDING,
  consentTextVersion: 'consent-2026-01',
  consentChannels: ['email', 'whatsapp'],
  successMessage: 'Thanks, we will call you within a day.',
  attribution: { source: 'website', medium: 'form' },
  ...overrides,
})

export async function createForm(
  app: FastifyInstance,
  overrides: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const res = await app.inject({ method: 'POST', url: '/v1/forms', payload: pricingForm(overrides) })
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}

/** Rows a submission can write: all zero after a refused one. */
export async function rowCounts(db: Db) {
  return {
    leads: await db.lead.count(),
    raw: await db.rawCapture.count(),
    consent: await db.consentRecord.count(),
    deliveries: await db.inboundDelivery.count(),
    outbox: await db.outboxEvent.count(),
  }
}
