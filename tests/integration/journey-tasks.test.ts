import { uuidv7 } from 'uuidv7'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { completeTask, escalateTask, openJourneyTask, type OpenJourneyTask } from '../../crm/tasks.js'
import { ConflictError, NotFoundError } from '../../platform/errors.js'
import { createTestDatabase, truncateAll, type TestDatabase } from '../support/database.js'

/*
 * SDR tasks on a real PostgreSQL: opened by the journey (idempotently), escalated to the
 * assignee's manager, completed by people with the outcome on the timeline and in the outbox.
 */

let database: TestDatabase

beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.drop()
})
afterEach(async () => {
  await truncateAll(database.db)
})

const MANAGER = 'user-manager'
const SDR = 'user-sdr'
const DUE = '2026-03-11T05:30:00.000Z'
const ESCALATION_DUE = '2026-03-11T09:30:00.000Z'

/** A manager and an SDR who reports to them. */
async function insertTeam() {
  await database.db.user.create({
    data: { id: MANAGER, name: 'Priya Nair', email: 'priya@leadwire.test', role: 'sales_manager' },
  })
  await database.db.user.create({
    data: { id: SDR, name: 'Arjun Rao', email: 'arjun@leadwire.test', role: 'sdr', managerId: MANAGER },
  })
}

async function insertLead(routing: { ownerId?: string; queue?: string } = {}) {
  const id = uuidv7()
  await database.db.lead.create({
    data: {
      id,
      channel: 'web_form',
      firstName: 'Meera',
      email: `meera.${id.slice(-8)}@acme-industries.in`,
      ownerId: routing.ownerId ?? null,
      queue: routing.queue ?? null,
      createdBy: 'test',
      updatedBy: 'test',
    },
  })
  return id
}

function journeyTask(leadId: string, overrides: Partial<OpenJourneyTask> = {}): OpenJourneyTask {
  return {
    leadId,
    workflowId: `lead-journey-${leadId}`,
    kind: 'first_contact',
    cycle: 1,
    attempt: 1,
    dueAt: DUE,
    ...overrides,
  }
}

/** The rejection of a call that must fail. */
async function failureOf(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    (value) => {
      throw new Error(`expected the call to fail, it returned ${JSON.stringify(value)}`)
    },
    (err: unknown) => err,
  )
}

describe('openJourneyTask', () => {
  it('opens one task per journey step, assigned to the lead’s owner, however often it is called', async () => {
    await insertTeam()
    const leadId = await insertLead({ ownerId: SDR })
    const t = journeyTask(leadId)

    const first = await openJourneyTask(database.db, t)
    const again = await openJourneyTask(database.db, t)
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => openJourneyTask(database.db, t)))

    expect(again.id).toBe(first.id)
    expect(new Set(concurrent.map((task) => task.id))).toEqual(new Set([first.id]))
    expect(await database.db.task.count()).toBe(1)
    expect(first).toMatchObject({
      kind: 'first_contact',
      title: 'First contact: the lead has not been reached yet',
      status: 'open',
      leadId,
      assigneeId: SDR,
      queue: null,
      dueAt: new Date(DUE),
      workflowId: t.workflowId,
      dedupeKey: `${t.workflowId}/first_contact/1/1`,
      escalatedAt: null,
      parentTaskId: null,
      createdBy: 'system:journey',
    })

    // Another attempt (or cycle, or kind) of the journey is another task.
    const retry = await openJourneyTask(database.db, { ...t, attempt: 2 })
    const followUp = await openJourneyTask(database.db, { ...t, kind: 'follow_up', cycle: 2 })
    expect(new Set([first.id, retry.id, followUp.id]).size).toBe(3)
    expect(retry.dedupeKey).toBe(`${t.workflowId}/first_contact/1/2`)
    expect(followUp).toMatchObject({
      kind: 'follow_up',
      title: 'Follow up: try to reach the lead again',
      dedupeKey: `${t.workflowId}/follow_up/2/1`,
      assigneeId: SDR,
    })
    expect(await database.db.task.count()).toBe(3)
  })

  it('puts the task of an unowned lead in the lead’s queue, or in "unassigned"', async () => {
    const queued = await insertLead({ queue: 'inbound-india' })
    const loose = await insertLead()

    const inQueue = await openJourneyTask(database.db, journeyTask(queued))
    const unassigned = await openJourneyTask(database.db, journeyTask(loose))

    expect(inQueue).toMatchObject({ leadId: queued, assigneeId: null, queue: 'inbound-india' })
    expect(unassigned).toMatchObject({ leadId: loose, assigneeId: null, queue: 'unassigned' })
  })

  it('refuses a lead that does not exist', async () => {
    const missing = uuidv7()
    const err = await failureOf(openJourneyTask(database.db, journeyTask(missing)))
    expect(err).toBeInstanceOf(NotFoundError)
    expect((err as NotFoundError).message).toBe(`lead ${missing} does not exist`)
    expect(await database.db.task.count()).toBe(0)
  })
})

describe('escalateTask', () => {
  it('gives the SDR’s manager an escalation task and marks the original, once', async () => {
    await insertTeam()
    const leadId = await insertLead({ ownerId: SDR })
    const task = await openJourneyTask(database.db, journeyTask(leadId))
    const before = new Date()

    const result = await escalateTask(database.db, task.id, ESCALATION_DUE)
    const after = new Date()

    expect(result).toEqual({
      alreadyDone: false,
      outcome: null,
      escalationTaskId: expect.any(String),
      escalatedToId: MANAGER,
    })
    const escalation = await database.db.task.findUniqueOrThrow({ where: { id: result.escalationTaskId! } })
    expect(escalation).toMatchObject({
      kind: 'escalation',
      title: 'Escalation: a first-contact task is overdue',
      status: 'open',
      leadId,
      assigneeId: MANAGER,
      queue: null,
      dueAt: new Date(ESCALATION_DUE),
      parentTaskId: task.id,
      workflowId: task.workflowId,
      dedupeKey: `${task.id}/escalation`,
    })
    const original = await database.db.task.findUniqueOrThrow({ where: { id: task.id } })
    expect(original).toMatchObject({ status: 'open', escalatedToId: MANAGER, assigneeId: SDR })
    expect(original.escalatedAt).toBeInstanceOf(Date)
    expect(original.escalatedAt!.getTime()).toBeGreaterThanOrEqual(before.getTime())
    expect(original.escalatedAt!.getTime()).toBeLessThanOrEqual(after.getTime())

    // The journey retries the activity: the same escalation, nothing added.
    await expect(escalateTask(database.db, task.id, ESCALATION_DUE)).resolves.toEqual(result)
    expect(await database.db.task.count({ where: { kind: 'escalation' } })).toBe(1)
    expect(await database.db.task.count()).toBe(2)
    const escalated = await database.db.activity.findMany({ where: { kind: 'task_escalated' } })
    expect(escalated).toHaveLength(1)
    expect(escalated[0]).toMatchObject({
      direction: 'internal',
      leadId,
      taskId: task.id,
      actorId: 'system:journey',
      subject: `Task overdue: escalated to ${MANAGER}`,
      details: { escalationTaskId: escalation.id, from: SDR, to: MANAGER },
      dedupeKey: `task-escalated/${task.id}`,
    })
    expect((await database.db.task.findUniqueOrThrow({ where: { id: task.id } })).escalatedAt).toEqual(
      original.escalatedAt,
    )
  })

  it('sends the escalation of a task with no assignee to the escalations queue', async () => {
    const leadId = await insertLead({ queue: 'inbound-india' })
    const task = await openJourneyTask(database.db, journeyTask(leadId))

    const result = await escalateTask(database.db, task.id, ESCALATION_DUE)

    expect(result).toMatchObject({ alreadyDone: false, escalatedToId: null })
    const escalation = await database.db.task.findUniqueOrThrow({ where: { id: result.escalationTaskId! } })
    expect(escalation).toMatchObject({ assigneeId: null, queue: 'escalations', parentTaskId: task.id })
  })

  it('refuses a task that does not exist', async () => {
    const missing = uuidv7()
    const err = await failureOf(escalateTask(database.db, missing, ESCALATION_DUE))
    expect(err).toBeInstanceOf(NotFoundError)
    expect((err as NotFoundError).message).toBe(`task ${missing} does not exist`)
    expect(await database.db.task.count()).toBe(0)
  })

  it('leaves a task already done alone and says how it ended', async () => {
    await insertTeam()
    const leadId = await insertLead({ ownerId: SDR })
    const task = await openJourneyTask(database.db, journeyTask(leadId))
    await completeTask(database.db, task.id, { outcome: 'contacted' }, { id: `user:${SDR}` })

    const result = await escalateTask(database.db, task.id, ESCALATION_DUE)

    expect(result).toEqual({
      alreadyDone: true,
      outcome: 'contacted',
      escalationTaskId: null,
      escalatedToId: null,
    })
    expect(await database.db.task.count()).toBe(1)
    expect(await database.db.activity.count({ where: { kind: 'task_escalated' } })).toBe(0)
    expect(await database.db.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
      escalatedAt: null,
      escalatedToId: null,
    })
  })
})

describe('completeTask', () => {
  it('records the outcome, marks the lead contacted and tells the journey through the outbox, once', async () => {
    await insertTeam()
    const leadId = await insertLead({ ownerId: SDR })
    const task = await openJourneyTask(database.db, journeyTask(leadId))
    const actor = { id: `user:${SDR}` }

    const done = await completeTask(
      database.db,
      task.id,
      { outcome: 'contacted', note: 'Spoke on the phone' },
      actor,
      'req-1',
    )

    expect(done).toMatchObject({
      id: task.id,
      status: 'done',
      outcome: 'contacted',
      note: 'Spoke on the phone',
      completedBy: actor.id,
      updatedBy: actor.id,
    })
    expect(done.completedAt).toBeInstanceOf(Date)
    const completedAt = done.completedAt!

    const lead = await database.db.lead.findUniqueOrThrow({ where: { id: leadId } })
    expect(lead.contactedAt).toEqual(completedAt)

    const timeline = await database.db.activity.findMany({ where: { kind: 'task_completed' } })
    expect(timeline).toHaveLength(1)
    expect(timeline[0]).toMatchObject({
      direction: 'internal',
      subject: 'First contact: the lead has not been reached yet: contacted',
      leadId,
      taskId: task.id,
      details: { outcome: 'contacted', note: 'Spoke on the phone' },
      occurredAt: completedAt,
      actorId: actor.id,
      dedupeKey: `task-completed/${task.id}`,
    })

    const events = await database.db.outboxEvent.findMany()
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({
      topic: 'task.completed',
      aggregateId: leadId,
      requestId: 'req-1',
      dispatchedAt: null,
      payload: {
        leadId,
        taskId: task.id,
        outcome: 'contacted',
        completedAt: completedAt.toISOString(),
        completedBy: actor.id,
      },
    })

    // The same completion again (a double click, a retried request): the same task, nothing new.
    const again = await completeTask(database.db, task.id, { outcome: 'contacted' }, actor, 'req-2')
    expect(again).toEqual(done)
    expect(await database.db.outboxEvent.count()).toBe(1)
    expect(await database.db.activity.count({ where: { kind: 'task_completed' } })).toBe(1)

    // A different outcome for a task already done is a conflict, and changes nothing.
    const conflict = await failureOf(completeTask(database.db, task.id, { outcome: 'no_answer' }, actor))
    expect(conflict).toBeInstanceOf(ConflictError)
    expect((conflict as ConflictError).message).toBe(`Task ${task.id} is already done (contacted).`)
    expect(await database.db.task.findUniqueOrThrow({ where: { id: task.id } })).toEqual(done)
    expect(await database.db.outboxEvent.count()).toBe(1)
  })

  it('does not mark the lead contacted when nobody was reached', async () => {
    const leadId = await insertLead({ queue: 'inbound-india' })
    const task = await openJourneyTask(database.db, journeyTask(leadId))

    await completeTask(database.db, task.id, { outcome: 'no_answer' }, { id: 'user:someone' })

    expect((await database.db.lead.findUniqueOrThrow({ where: { id: leadId } })).contactedAt).toBeNull()
    const events = await database.db.outboxEvent.findMany()
    expect(events.map((e) => [e.topic, (e.payload as { outcome: string }).outcome])).toEqual([
      ['task.completed', 'no_answer'],
    ])
  })

  it('refuses a task that does not exist', async () => {
    const missing = uuidv7()
    const err = await failureOf(
      completeTask(database.db, missing, { outcome: 'contacted' }, { id: 'user:x' }),
    )
    expect(err).toBeInstanceOf(NotFoundError)
    expect((err as NotFoundError).message).toBe(`task ${missing} does not exist`)
    expect(await database.db.outboxEvent.count()).toBe(0)
  })
})
