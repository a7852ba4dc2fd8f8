import type { WorkflowHandle } from '@temporalio/client'
import type { TestWorkflowEnvironment } from '@temporalio/testing'
import { Worker } from '@temporalio/worker'
import { uuidv7 } from 'uuidv7'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createRenewalActivities } from '../../activities/renewal.activities.js'
import { createContract, renewContract, updateContract } from '../../crm/renewals/contracts.js'
import { addDays, indiaDate } from '../../domain/time/india-date.rules.js'
import { dispatch } from '../../ingestion/outbox/dispatch.js'
import { claimDue, markDispatched } from '../../ingestion/outbox/outbox.repository.js'
import type { ContractRenewalState } from '../../workflows/contract-renewal.workflow.js'
import { contractRenewalId, getContractRenewal } from '../../workflows/post-sales.messages.js'
import { createTestDatabase, truncateAll, type TestDatabase } from '../support/database.js'
import { uniqueTaskQueue, workflowBundle } from '../support/temporal.js'
import { createTimeSkippingEnv, recordHistory, resultOnceClosed } from './support/time-skipping.js'

/*
 * The contractRenewal workflow on the time-skipping server with its real activities against
 * a real PostgreSQL: months pass in seconds, contracts are written through crm/renewals with
 * the server's clock, and outbox events reach the workflow through the real dispatcher.
 */

const OWNER = 'user-account-manager'
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

/** The outbox relay's job for contract events: hand them to Temporal through the real dispatcher. */
/**
 * Delivers the pending contract events to Temporal, or only those about one contract (the
 * others stay pending: a 1 ms lease frees them for the next call).
 */
async function relay(taskQueue: string, contractId?: string) {
  const events = (await claimDue(database.db, 100, 1)).filter(
    (e) => e.topic.startsWith('contract.') && (contractId === undefined || e.aggregateId === contractId),
  )
  for (const event of events) await dispatch(event, { temporal: env.client, taskQueue, timeoutMs: 10_000 })
  await markDispatched(
    database.db,
    events.map((e) => e.id),
  )
}

/** A contract ending `days` after today (India), activated at the server's time, its workflow served. */
async function withContract(
  days: number,
  body: (c: {
    contractId: string
    endDate: string
    today: string
    handle: WorkflowHandle
    taskQueue: string
  }) => Promise<void>,
) {
  const taskQueue = uniqueTaskQueue('contract-renewal')
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createRenewalActivities({ db: database.db }),
  })
  await database.db.user.create({ data: { id: OWNER, name: 'Kavya Iyer', email: 'kavya@leadwire.test' } })
  const accountId = uuidv7()
  await database.db.account.create({
    data: { id: accountId, name: 'Acme Industries', ownerId: OWNER, createdBy: 'test', updatedBy: 'test' },
  })
  const now = await serverNow()
  const today = indiaDate(now.getTime())
  const endDate = addDays(today, days)
  const contract = await createContract(
    database.db,
    ctx,
    { accountId, kind: 'amc', startDate: addDays(endDate, -364), endDate, value: 180000, currency: 'INR' },
    now,
  )
  const started: string[] = []
  await worker.runUntil(async () => {
    await relay(taskQueue)
    const handle = env.client.workflow.getHandle(contractRenewalId(contract.id))
    try {
      await body({ contractId: contract.id, endDate, today, handle, taskQueue })
    } finally {
      const open = await database.db.contract.findMany({ select: { id: true } })
      started.push(...open.map((c) => c.id))
      for (const id of started)
        await env.client.workflow
          .getHandle(contractRenewalId(id))
          .terminate('test over')
          .catch(() => undefined)
    }
  })
}

const renewals = (contractId: string) =>
  database.db.opportunity.findMany({ where: { renewalOfContractId: contractId } })
const tasksOf = (contractId: string) =>
  database.db.task.findMany({ where: { contractId }, orderBy: { dueAt: 'asc' } })
const timeline = (kind: string) =>
  database.db.activity.findMany({ where: { kind }, orderBy: { occurredAt: 'asc' } })

describe('contractRenewal', () => {
  it('opens exactly one renewal opportunity 90 days ahead, reminds at 60/30/7 days, and expires an unrenewed contract', async () => {
    await withContract(100, async ({ contractId, endDate, today, handle }) => {
      await env.sleep('9 days')
      expect(await renewals(contractId)).toEqual([])

      await env.sleep('2 days')
      const [opportunity, ...more] = await renewals(contractId)
      expect(more).toEqual([])
      expect(opportunity).toMatchObject({
        kind: 'renewal',
        stage: 'qualification',
        ownerId: OWNER,
        currency: 'INR',
      })
      expect(Number(opportunity!.amount)).toBe(180000)
      expect(opportunity!.closeDate.toISOString().slice(0, 10)).toBe(endDate)
      const [opened] = await timeline('renewal_opportunity_opened')
      expect(indiaDate(opened!.occurredAt.getTime())).toBe(addDays(today, 10))
      expect((await tasksOf(contractId)).map((t) => t.kind)).toEqual(['contract_renewal'])

      await env.sleep('91 days')
      const result = (await handle.result()) as ContractRenewalState
      expect(result).toMatchObject({ status: 'expired', renewalOpportunityId: opportunity!.id })
      expect(await renewals(contractId)).toHaveLength(1)
      const tasks = await tasksOf(contractId)
      expect(tasks.map((t) => `${t.kind}:${indiaDate(t.dueAt.getTime())}`)).toEqual([
        `contract_renewal:${addDays(today, 10)}`,
        `contract_renewal_reminder:${addDays(endDate, -60)}`,
        `contract_renewal_reminder:${addDays(endDate, -30)}`,
        `contract_renewal_reminder:${addDays(endDate, -7)}`,
      ])
      expect(tasks.every((t) => t.assigneeId === OWNER)).toBe(true)
      expect(tasks.slice(1).every((t) => t.opportunityId === opportunity!.id)).toBe(true)
      const contract = await database.db.contract.findUniqueOrThrow({ where: { id: contractId } })
      expect(contract.status).toBe('expired')
      const [expired] = await timeline('contract_expired')
      expect(indiaDate(expired!.occurredAt.getTime())).toBe(addDays(endDate, 1))
      const accountEvents = await database.db.outboxEvent.findMany({
        where: { aggregateId: contract.accountId, topic: 'account.changed' },
      })
      expect(accountEvents.map((e) => e.payload)).toContainEqual({
        accountId: contract.accountId,
        reason: 'contract_expired',
      })
      expect(
        (
          await database.db.auditEvent.findMany({ where: { entityId: contractId }, orderBy: { id: 'asc' } })
        ).map((a) => `${a.action}:${a.actorId}`),
      ).toEqual(['create:test', 'expire:system:contract-renewal'])
      await recordHistory(handle, 'contractRenewal', 'opportunity-reminders-expiry')
    })
  })

  it('ends without expiring when the contract is renewed, and the renewal is won', async () => {
    await withContract(100, async ({ contractId, endDate, handle, taskQueue }) => {
      await env.sleep('11 days')
      const [opportunity] = await renewals(contractId)
      expect(opportunity).toBeDefined()
      const { successor } = await renewContract(
        database.db,
        ctx,
        contractId,
        { endDate: addDays(endDate, 365) },
        await serverNow(),
      )
      // The renewed contract's workflow hears first and ends (read without letting the server
      // skip time); then the successor's activation goes out.
      await relay(taskQueue, contractId)
      const result = await resultOnceClosed<ContractRenewalState>(env, handle.workflowId)
      expect(result).toMatchObject({ status: 'renewed' })
      await relay(taskQueue)
      await env.sleep('100 days')
      const old = await database.db.contract.findUniqueOrThrow({ where: { id: contractId } })
      expect(old).toMatchObject({ status: 'renewed', renewedByContractId: successor.id })
      expect(await timeline('contract_expired')).toEqual([])
      expect(
        await database.db.opportunity.findUniqueOrThrow({ where: { id: opportunity!.id } }),
      ).toMatchObject({ stage: 'closed_won' })
      // The successor's own workflow started from its activation event and waits for its dates.
      const next = await env.client.workflow
        .getHandle(contractRenewalId(successor.id))
        .query(getContractRenewal)
      expect(next).toMatchObject({ status: 'active', renewalOpportunityId: null })
      await recordHistory(handle, 'contractRenewal', 'renewed')
    })
  })

  it('re-plans when the end date moves: the renewal opportunity follows the new date', async () => {
    await withContract(100, async ({ contractId, today, handle, taskQueue }) => {
      await env.sleep('5 days')
      const newEnd = addDays(today, 200)
      await updateContract(database.db, ctx, contractId, { endDate: newEnd }, await serverNow())
      await relay(taskQueue)
      await env.sleep('10 days')
      expect(await renewals(contractId)).toEqual([])
      const state = (await handle.query(getContractRenewal)) as ContractRenewalState
      expect(state.nextMilestoneAt?.slice(0, 10)).toBe(addDays(newEnd, -90))
      await env.sleep('100 days')
      const [opportunity] = await renewals(contractId)
      expect(opportunity?.closeDate.toISOString().slice(0, 10)).toBe(newEnd)
    })
  })
})
