import type { WorkflowHandle } from '@temporalio/client'
import type { TestWorkflowEnvironment } from '@temporalio/testing'
import { Worker } from '@temporalio/worker'
import { uuidv7 } from 'uuidv7'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createSupportActivities } from '../../activities/support.activities.js'
import { respondToTicket, setTicketStatus, openTicket } from '../../crm/support/tickets.js'
import { dispatch } from '../../ingestion/outbox/dispatch.js'
import { claimDue, markDispatched } from '../../ingestion/outbox/outbox.repository.js'
import { getTicketSla, ticketSlaId } from '../../workflows/post-sales.messages.js'
import type { TicketSlaState } from '../../workflows/ticket-sla.workflow.js'
import { createTestDatabase, truncateAll, type TestDatabase } from '../support/database.js'
import { uniqueTaskQueue, workflowBundle } from '../support/temporal.js'
import { createTimeSkippingEnv, recordHistory, resultOnceClosed } from './support/time-skipping.js'

/*
 * The ticketSla workflow on the time-skipping server with its real activities against a
 * real PostgreSQL: tickets are opened and changed through crm/support (with the server's
 * clock), and the outbox events reach the workflow through the real dispatcher.
 */

const HOUR = 3_600_000
const MANAGER = 'user-support-lead'
const AGENT = 'user-agent'
const OWNER = 'user-account-owner'
const ctx = { actor: { id: 'test' } }

let env: TestWorkflowEnvironment
let database: TestDatabase

beforeAll(async () => {
  env = await createTimeSkippingEnv()
  database = await createTestDatabase()
})
afterAll(async () => {
  await env?.teardown()
  await database?.drop()
})
afterEach(async () => {
  await truncateAll(database.db)
})

const serverNow = async () => new Date(await env.currentTimeMs())

async function seedAccount() {
  await database.db.user.createMany({
    data: [
      { id: MANAGER, name: 'Priya Nair', email: 'priya@leadwire.test', role: 'sales_manager' },
      { id: AGENT, name: 'Arjun Rao', email: 'arjun@leadwire.test', role: 'support', managerId: MANAGER },
      { id: OWNER, name: 'Kavya Iyer', email: 'kavya@leadwire.test', role: 'sales_rep' },
    ],
  })
  const accountId = uuidv7()
  await database.db.account.create({
    data: { id: accountId, name: 'Acme Industries', ownerId: OWNER, createdBy: 'test', updatedBy: 'test' },
  })
  return accountId
}

/** The outbox relay's job for ticket events: hand them to Temporal through the real dispatcher. */
async function relay(taskQueue: string) {
  const events = await claimDue(database.db, 100, 60_000)
  for (const event of events)
    if (event.topic.startsWith('ticket.'))
      await dispatch(event, { temporal: env.client, taskQueue, timeoutMs: 10_000 })
  await markDispatched(
    database.db,
    events.map((e) => e.id),
  )
}

/** Opens a ticket at the server's time and runs `body` while a worker serves its SLA workflow. */
async function withTicket(
  priority: 'P1' | 'P2',
  body: (c: {
    ticketId: string
    handle: WorkflowHandle
    taskQueue: string
    createdAt: number
  }) => Promise<void>,
) {
  const taskQueue = uniqueTaskQueue('ticket-sla')
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createSupportActivities({ db: database.db }),
  })
  const accountId = await seedAccount()
  const created = await serverNow()
  const ticket = await openTicket(
    database.db,
    ctx,
    { accountId, subject: 'Line down', priority, channel: 'phone', assigneeId: AGENT },
    created,
  )
  await worker.runUntil(async () => {
    await relay(taskQueue)
    const handle = env.client.workflow.getHandle(ticketSlaId(ticket.id))
    try {
      await body({ ticketId: ticket.id, handle, taskQueue, createdAt: created.getTime() })
    } finally {
      await handle.terminate('test over').catch(() => undefined)
    }
  })
}

const ticketRow = (id: string) => database.db.ticket.findUniqueOrThrow({ where: { id } })
const escalations = (ticketId: string) =>
  database.db.task.findMany({ where: { ticketId, kind: 'ticket_escalation' }, orderBy: { createdAt: 'asc' } })

describe('ticketSla', () => {
  it('breaches an unanswered P1 at 1 h and escalates to the manager, then to the account owner at 8 h', async () => {
    await withTicket('P1', async ({ ticketId, handle, taskQueue, createdAt }) => {
      await env.sleep('59 minutes')
      expect((await ticketRow(ticketId)).firstResponseBreachedAt).toBeNull()
      expect(await escalations(ticketId)).toEqual([])

      await env.sleep('2 minutes')
      const breached = await ticketRow(ticketId)
      expect(breached.firstResponseBreachedAt?.getTime()).toBe(createdAt + HOUR)
      expect(breached.escalationLevel).toBe(1)
      const [first] = await escalations(ticketId)
      expect(first).toMatchObject({
        assigneeId: MANAGER,
        queue: null,
        accountId: breached.accountId,
        priority: 'high',
      })
      const state = await handle.query(getTicketSla)
      expect(state).toMatchObject({
        breaches: ['first_response'],
        escalationLevel: 1,
        nextCheckAt: new Date(createdAt + 4 * HOUR).toISOString(),
      })
      const accountEvents = await database.db.outboxEvent.findMany({
        where: { aggregateId: breached.accountId, topic: 'account.changed' },
      })
      expect(accountEvents.map((e) => (e.payload as { reason: string }).reason)).toContain(
        'ticket_sla_breached',
      )
      const audit = await database.db.auditEvent.findMany({
        where: { entityId: ticketId },
        orderBy: { id: 'asc' },
      })
      expect(audit.map((a) => `${a.action}:${a.actorId}`)).toEqual([
        'create:test',
        'sla_breach:system:support-sla',
        'escalate:system:support-sla',
      ])
      const timeline = await database.db.activity.findMany({ where: { accountId: breached.accountId } })
      expect(timeline.map((a) => a.kind).sort()).toEqual([
        'ticket_escalated',
        'ticket_opened',
        'ticket_sla_breached',
      ])

      await env.sleep('3 hours') // past the 4 h resolution deadline
      expect((await ticketRow(ticketId)).resolutionBreachedAt?.getTime()).toBe(createdAt + 4 * HOUR)
      expect(await escalations(ticketId)).toHaveLength(1) // level 1 once, whatever breaches

      await env.sleep('4 hours') // past 2 × the resolution target
      const level2 = await escalations(ticketId)
      expect(level2.map((t) => t.assigneeId)).toEqual([MANAGER, OWNER])
      expect((await ticketRow(ticketId)).escalationLevel).toBe(2)

      await respondToTicket(database.db, ctx, ticketId, {}, await serverNow())
      await setTicketStatus(database.db, ctx, ticketId, { status: 'resolved' }, await serverNow())
      await relay(taskQueue)
      const result = await resultOnceClosed<TicketSlaState>(env, handle.workflowId)
      expect(result).toMatchObject({
        status: 'resolved',
        breaches: ['first_response', 'resolution'],
        escalationLevel: 2,
      })
      await recordHistory(handle, 'ticketSla', 'p1-breach-escalation')
    })
  })

  it('never breaches a ticket answered and resolved in time, and ends when it is resolved', async () => {
    await withTicket('P1', async ({ ticketId, handle, taskQueue }) => {
      await env.sleep('10 minutes')
      await respondToTicket(database.db, ctx, ticketId, { note: 'Engineer on the way' }, await serverNow())
      await relay(taskQueue)
      await env.sleep('2 hours') // past the first-response deadline: it was met
      await setTicketStatus(database.db, ctx, ticketId, { status: 'resolved' }, await serverNow())
      await relay(taskQueue)
      const result = await resultOnceClosed<TicketSlaState>(env, handle.workflowId)
      expect(result).toMatchObject({ status: 'resolved', breaches: [], escalationLevel: 0 })
      await env.sleep('10 hours')
      const row = await ticketRow(ticketId)
      expect(row.firstResponseBreachedAt).toBeNull()
      expect(row.resolutionBreachedAt).toBeNull()
      expect(await escalations(ticketId)).toEqual([])
      await recordHistory(handle, 'ticketSla', 'responded-resolved')
    })
  })

  it('pushes the resolution deadline back by a pending spell', async () => {
    await withTicket('P1', async ({ ticketId, handle, taskQueue, createdAt }) => {
      await respondToTicket(database.db, ctx, ticketId, {}, await serverNow())
      await relay(taskQueue)
      await env.sleep('1 hour')
      const pendingFrom = await serverNow()
      await setTicketStatus(database.db, ctx, ticketId, { status: 'pending' }, pendingFrom)
      await relay(taskQueue)
      await env.sleep('3 hours') // the original 4 h deadline passes while pending
      expect((await ticketRow(ticketId)).resolutionBreachedAt).toBeNull()

      const resumedAt = await serverNow()
      const resumed = await setTicketStatus(database.db, ctx, ticketId, { status: 'open' }, resumedAt)
      const paused = resumed.pausedSeconds * 1000
      expect(paused).toBe(Math.floor((resumedAt.getTime() - pendingFrom.getTime()) / 1000) * 1000)
      expect(resumed.resolutionDueAt.getTime()).toBe(createdAt + 4 * HOUR + paused)
      await relay(taskQueue)
      await env.sleep('2 hours')
      expect((await ticketRow(ticketId)).resolutionBreachedAt).toBeNull()
      expect(((await handle.query(getTicketSla)) as TicketSlaState).nextCheckAt).toBe(
        resumed.resolutionDueAt.toISOString(),
      )

      await env.sleep('90 minutes')
      const row = await ticketRow(ticketId)
      expect(row.resolutionBreachedAt?.getTime()).toBe(createdAt + 4 * HOUR + paused)
      expect(row.firstResponseBreachedAt).toBeNull()
      expect((await escalations(ticketId)).map((t) => t.assigneeId)).toEqual([MANAGER])
    })
  })
})
