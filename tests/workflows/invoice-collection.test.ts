import type { WorkflowHandle } from '@temporalio/client'
import type { TestWorkflowEnvironment } from '@temporalio/testing'
import { Worker } from '@temporalio/worker'
import { uuidv7 } from 'uuidv7'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createActivities } from '../../activities/index.js'
import { createInvoice, voidInvoice } from '../../crm/billing/invoices.js'
import { createOrder } from '../../crm/billing/orders.js'
import { recordPayment } from '../../crm/billing/payments.js'
import { billingSettings } from '../../crm/billing/seller.js'
import { insertOpportunity } from '../../crm/opportunities.js'
import { addDays, indiaDate } from '../../domain/time/india-date.rules.js'
import { collectionSchedule } from '../../domain/billing/reminder-schedule.rules.js'
import { activityDeps } from '../../platform/worker-runtime.js'
import {
  INVOICE_COLLECTION_WORKFLOW,
  invoiceChanged,
  invoiceCollectionId,
} from '../../workflows/post-sales.messages.js'
import { testConfig } from '../support/config.js'
import { createTestDatabase, truncateAll, type TestDatabase } from '../support/database.js'
import { startSendGridStandIn, type SendGridStandIn } from '../support/sendgrid-stand-in.js'
import { silentLog, uniqueTaskQueue, workflowBundle } from '../support/temporal.js'
import { createTimeSkippingEnv, recordHistory, resultOnceClosed } from './support/time-skipping.js'

/*
 * The invoice collection workflow on the time-skipping server, with the real activities on
 * a real PostgreSQL and the real SendGrid transport talking to a loopback stand-in: weeks
 * of reminders run in seconds, and every email that "went out" is a request the stand-in saw.
 */

const OWNER = 'user-owner'
const ctx = { actor: { id: 'test' } }

let env: TestWorkflowEnvironment
let database: TestDatabase
let sendgrid: SendGridStandIn
let activities: ReturnType<typeof createActivities>
const db = () => database.db
const config = () =>
  testConfig({
    SELLER_GSTIN: '27AAPFU0939F1ZV',
    SELLER_NAME: 'Leadwire Test Traders',
    SENDGRID_API_KEY: 'SG.test-key',
    SENDGRID_API_URL: sendgrid.url,
  })

beforeAll(async () => {
  env = await createTimeSkippingEnv()
  database = await createTestDatabase()
  sendgrid = await startSendGridStandIn()
  // The worker's own wiring: with an API key the SendGrid connector provides the transport.
  activities = createActivities(activityDeps({ config: config(), db: database.db, log: silentLog }))
})
afterAll(async () => {
  await env?.teardown()
  await sendgrid?.close()
  await database?.drop()
})
afterEach(async () => {
  await truncateAll(db())
  sendgrid.requests.length = 0
})

/** An issued invoice of ₹1,18,000 due in `dueInDays`, billed to a contact (with or without email). */
async function issuedInvoice(options: { dueInDays: number; billingEmail?: string | null }) {
  await db().user.upsert({
    where: { id: OWNER },
    create: { id: OWNER, name: 'Kavya Iyer', email: 'kavya@leadwire.test', role: 'sales_rep' },
    update: {},
  })
  const accountId = uuidv7()
  const contactId = uuidv7()
  await db().account.create({
    data: {
      id: accountId,
      name: 'Acme Industries',
      stateCode: '27',
      country: 'IN',
      ownerId: OWNER,
      createdBy: 'test',
      updatedBy: 'test',
    },
  })
  await db().contact.create({
    data: {
      id: contactId,
      accountId,
      firstName: 'Arjun',
      email: options.billingEmail === undefined ? 'accounts@acme.test' : options.billingEmail,
      roles: ['billing'],
      createdBy: 'test',
      updatedBy: 'test',
    },
  })
  // The test server's clock, which earlier tests moved on by weeks.
  const now = new Date(await env.currentTimeMs())
  const today = indiaDate(now.getTime())
  const opp = await db().$transaction((tx) =>
    insertOpportunity(tx, ctx, {
      accountId,
      name: 'Annual plan',
      kind: 'new_business',
      amount: 100000,
      currency: 'INR',
      stage: 'closed_won',
      probability: 100,
      closeDate: today,
      ownerId: OWNER,
      today,
      at: now,
    }),
  )
  const { order } = await createOrder(
    db(),
    ctx,
    {
      opportunityId: opp.id,
      lines: [
        { description: 'Annual licence', hsnSac: '997331', quantity: 1, unitPrice: 100000, gstRate: 18 },
      ],
    },
    now,
  )
  const invoice = await createInvoice(
    db(),
    ctx,
    billingSettings(config()),
    { orderId: order.id, issueDate: today, dueDate: addDays(today, options.dueInDays) },
    now,
  )
  return { invoice, accountId, contactId }
}

/** Runs `body` while a worker with the real activities serves the invoice's workflow. */
async function withCollection(
  invoiceId: string,
  body: (handle: WorkflowHandle) => Promise<void>,
): Promise<void> {
  const taskQueue = uniqueTaskQueue('collection')
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities,
  })
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(INVOICE_COLLECTION_WORKFLOW, {
      workflowId: invoiceCollectionId(invoiceId),
      taskQueue,
      args: [{ invoiceId }],
    })
    try {
      await body(handle)
    } finally {
      // A workflow left running without its worker would hold the shared server's clock.
      await handle.terminate('test over').catch(() => undefined)
    }
  })
}

async function reminders(invoiceId: string) {
  const rows = await db().activity.findMany({
    where: { kind: 'invoice_reminder', dedupeKey: { startsWith: `invoice-reminder/${invoiceId}/` } },
    orderBy: { occurredAt: 'asc' },
  })
  return rows.map((r) => ({
    ...(r.details as { level: number; status: string; reason?: string }),
    at: r.occurredAt,
  }))
}

const sentEmails = () =>
  sendgrid.requests
    .filter((r) => r.path === '/v3/mail/send')
    .map(
      (r) =>
        r.body as {
          subject: string
          personalizations: { to: { email: string }[]; custom_args?: Record<string, string> }[]
          custom_args?: Record<string, string>
        },
    )

describe('invoiceCollection', () => {
  it('reminds before, on and after the due date, then opens a collections task at 30 days overdue', async () => {
    const { invoice, accountId, contactId } = await issuedInvoice({ dueInDays: 10 })
    await withCollection(invoice.id, async (handle) => {
      expect(await handle.result()).toBe('escalated')
      await recordHistory(handle, 'invoiceCollection', 'reminders-to-escalation')
    })

    const planned = collectionSchedule(
      indiaDate(invoice.issueDate.getTime()),
      invoice.dueDate.toISOString().slice(0, 10),
    )
    const remindSteps = planned.filter((s) => s.action === 'remind')
    const sent = await reminders(invoice.id)
    expect(sent.map((r) => [r.level, r.status])).toEqual([
      [1, 'sent'],
      [2, 'sent'],
      [3, 'sent'],
      [4, 'sent'],
      [5, 'sent'],
    ])
    // Each went out when its step fell due (the workflow's clock), not before and not a day late.
    sent.forEach((r, i) => {
      const due = remindSteps[i]!.at
      expect(r.at.getTime()).toBeGreaterThanOrEqual(due)
      expect(r.at.getTime() - due).toBeLessThan(60 * 60_000)
    })
    expect(remindSteps.map((s) => s.offsetDays)).toEqual([-3, 0, 7, 14, 30])

    const emails = sentEmails()
    expect(emails).toHaveLength(5)
    expect(emails.every((e) => e.personalizations[0]?.to[0]?.email === 'accounts@acme.test')).toBe(true)
    expect(emails.map((e) => e.subject)).toEqual([
      expect.stringContaining('due on'),
      expect.stringContaining('due today'),
      expect.stringContaining('Overdue'),
      expect.stringContaining('Overdue'),
      expect.stringContaining('Final notice'),
    ])

    const stored = await db().invoice.findUniqueOrThrow({ where: { id: invoice.id } })
    expect(stored.reminderLevel).toBe(5)
    expect(stored.lastReminderAt?.toISOString()).toBe(sent[4]!.at.toISOString())

    const overdue = await db().activity.findMany({ where: { kind: 'invoice_overdue', accountId } })
    expect(overdue).toHaveLength(1)
    expect(overdue[0]!.occurredAt.getTime()).toBeGreaterThanOrEqual(
      planned.find((s) => s.id === 'overdue')!.at,
    )
    const accountChanges = await db().outboxEvent.findMany({ where: { topic: 'account.changed' } })
    expect(accountChanges.map((e) => e.payload)).toEqual([{ accountId, reason: 'invoice_overdue' }])

    const tasks = await db().task.findMany({ where: { invoiceId: invoice.id } })
    expect(tasks).toHaveLength(1)
    expect(tasks[0]).toMatchObject({
      kind: 'collections',
      status: 'open',
      accountId,
      contactId,
      assigneeId: OWNER,
      priority: 'high',
      workflowId: invoiceCollectionId(invoice.id),
    })
    expect(await db().activity.count({ where: { kind: 'invoice_escalated', accountId } })).toBe(1)
  })

  it('goes on after a partial payment and ends when a payment settles the invoice', async () => {
    const { invoice } = await issuedInvoice({ dueInDays: 10 })
    await withCollection(invoice.id, async (handle) => {
      await env.sleep('8 days') // past the friendly reminder (due − 3 days)
      await recordPayment(db(), ctx, invoice.id, { amount: 18000, method: 'upi', reference: 'UPI-1' })
      await handle.signal(invoiceChanged, { reason: 'payment' })
      await env.sleep('3 days') // past the due date
      await recordPayment(db(), ctx, invoice.id, {
        amount: 100000,
        method: 'bank_transfer',
        reference: 'UTR-2',
      })
      await handle.signal(invoiceChanged, { reason: 'payment' })
      expect(await resultOnceClosed(env, handle.workflowId)).toBe('paid')
    })
    expect((await reminders(invoice.id)).map((r) => r.level)).toEqual([1, 2])
    const emails = sentEmails()
    expect(emails).toHaveLength(2)
    expect(JSON.stringify(emails[1])).toContain('1,00,000.00') // the balance after the partial payment
    expect(await db().task.count({ where: { invoiceId: invoice.id } })).toBe(0)
  })

  it('ends when the invoice is voided', async () => {
    const { invoice } = await issuedInvoice({ dueInDays: 30 })
    await withCollection(invoice.id, async (handle) => {
      await voidInvoice(db(), ctx, invoice.id, 'Raised in error')
      await handle.signal(invoiceChanged, { reason: 'void' })
      expect(await resultOnceClosed(env, handle.workflowId)).toBe('void')
    })
    expect(sentEmails()).toHaveLength(0)
  })
})

describe('sendInvoiceReminder', () => {
  it('sends a level once however often it is retried', async () => {
    const { invoice } = await issuedInvoice({ dueInDays: 10 })
    const input = {
      invoiceId: invoice.id,
      level: 1,
      step: 'before_due' as const,
      at: new Date().toISOString(),
    }
    const first = await activities.sendInvoiceReminder(input)
    const again = await activities.sendInvoiceReminder(input)
    expect(first.status).toBe('sent')
    expect(again).toEqual(first)
    expect(sentEmails()).toHaveLength(1)
  })

  it('records but skips a reminder when the billing contact has no email', async () => {
    const { invoice } = await issuedInvoice({ dueInDays: 10, billingEmail: null })
    const outcome = await activities.sendInvoiceReminder({
      invoiceId: invoice.id,
      level: 2,
      step: 'on_due',
      at: new Date().toISOString(),
    })
    expect(outcome).toMatchObject({ status: 'skipped', reason: 'no_email' })
    expect(sentEmails()).toHaveLength(0)
    expect((await reminders(invoice.id)).map((r) => [r.level, r.status, r.reason])).toEqual([
      [2, 'skipped', 'no_email'],
    ])
    const stored = await db().invoice.findUniqueOrThrow({ where: { id: invoice.id } })
    expect(stored).toMatchObject({ reminderLevel: 2, lastReminderAt: null })
  })

  it('does not resend after SendGrid failed to answer: the claim is left unconfirmed', async () => {
    const { invoice } = await issuedInvoice({ dueInDays: 10 })
    const input = {
      invoiceId: invoice.id,
      level: 3,
      step: 'overdue_7' as const,
      at: new Date().toISOString(),
    }
    sendgrid.respondWith({ status: 202, destroy: true })
    const first = await activities.sendInvoiceReminder(input)
    expect(first.status).toBe('unconfirmed')
    expect((await activities.sendInvoiceReminder(input)).status).toBe('unconfirmed')
    expect(sendgrid.requests).toHaveLength(1)
  })
})
