import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { requestedTimeZone } from '../../../crm/reports/report-window.js'
import { createManualTask, reassignTask, snoozeTask } from '../../../crm/task-commands.js'
import { completeTask } from '../../../crm/tasks.js'
import { DomainRuleError } from '../../../platform/errors.js'
import {
  assertAssignable,
  assertOwnerInReach,
  assertVisible,
  linkScopes,
} from '../../../security/visibility.js'
import { writeContext } from '../../actor.js'
import { principalOf } from '../../plugins/auth.plugin.js'
import { isStorableInstant } from '../../queries/keyset.js'
import { getTask, listTasks, toTask } from '../../queries/task.queries.js'
import { problemResponses } from '../../schemas/problem.schema.js'
import {
  CompleteTaskBody,
  CreateTaskBody,
  ListTasksQuery,
  ReassignTaskBody,
  SnoozeTaskBody,
  Task,
  TaskPage,
  TaskParams,
} from '../../schemas/task.schema.js'

/**
 * A body timestamp as a Date. The date-time format lets through instants PostgreSQL cannot
 * store (a leap second, which Date cannot parse; year 0000): 422 rather than a failed write.
 */
function instantOf(value: string, field: string): Date {
  const at = new Date(value)
  if (!isStorableInstant(at.getTime()))
    throw new DomainRuleError('The time cannot be stored.', [
      { pointer: `/body/${field}`, message: 'must be a real time between the years 0001 and 9999' },
    ])
  return at
}

/**
 * SDR tasks: the inbox, manual tasks, and completing, snoozing and reassigning them. A
 * caller sees and works the tasks assigned to them or, for a manager, to their team (every
 * task for a role that sees all); any other task is not found (404), and handing one to
 * someone outside that reach is forbidden (403).
 */
const tasks: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.services.db
  const defaultZone = app.services.config.JOURNEY_DEFAULT_TIME_ZONE

  app.get(
    '',
    {
      config: { access: { object: 'task', action: 'read' } },
      schema: {
        tags: ['tasks'],
        summary: 'The task inbox, soonest due first',
        description:
          "The tasks you see (yours, your team's; every task for a role that sees all), sorted by due time, then id; " +
          'pages continue with `cursor`. `assigneeId=me` is the calling user; `assigneeId` of someone outside your ' +
          'team is a 403. Open tasks snoozed until a time still to come are hidden unless ' +
          '`includeSnoozed=true`. `due` buckets use the calendar of `tz` (default the configured zone): overdue is ' +
          'open and past due; today is due on today’s date; upcoming is due after today.',
        querystring: ListTasksQuery,
        response: { 200: TaskPage, ...problemResponses },
      },
    },
    async (request) => {
      const p = principalOf(request)
      const { assigneeId, tz, ...filters } = request.query
      const assignee = assigneeId === 'me' ? p.userId : assigneeId
      if (assignee !== undefined) await assertOwnerInReach(p, 'task', assignee)
      return listTasks(db, p, {
        ...filters,
        assigneeId: assignee,
        timeZone: requestedTimeZone(tz, defaultZone),
      })
    },
  )

  app.get(
    '/:id',
    {
      config: { access: { object: 'task', action: 'read' } },
      schema: {
        tags: ['tasks'],
        summary: 'One task',
        description: 'A task you do not see is a 404.',
        params: TaskParams,
        response: { 200: Task, ...problemResponses },
      },
    },
    async (request) => getTask(db, principalOf(request), request.params.id),
  )

  app.post(
    '',
    {
      config: { access: { object: 'task', action: 'create' } },
      schema: {
        tags: ['tasks'],
        summary: 'Add a task by hand',
        description:
          'Assigned to `assigneeId` (an existing user: yourself or someone in your team, 403 otherwise, unless your ' +
          'role sees every task), or waiting in `queue`, or else to the caller. Linked records must exist and be ' +
          'ones you see (422), and a contact or opportunity given with an account must belong to it. Recorded in ' +
          'the audit trail.',
        body: CreateTaskBody,
        response: { 201: Task, ...problemResponses },
      },
    },
    async (request, reply) => {
      const p = principalOf(request)
      const b = request.body
      if (b.assigneeId && b.queue)
        throw new DomainRuleError('A task has an assignee or waits in a queue, not both.', [
          { pointer: '/body/queue', message: 'must not be given with assigneeId' },
        ])
      const assigneeId = b.assigneeId ?? (b.queue ? null : p.userId)
      if (b.assigneeId) await assertAssignable(p, 'task', b.assigneeId)
      const task = await createManualTask(
        db,
        writeContext(request),
        {
          title: b.title,
          kind: b.kind,
          dueAt: instantOf(b.dueAt, 'dueAt'),
          priority: b.priority ?? 'normal',
          description: b.description ?? null,
          assigneeId,
          queue: b.queue ?? null,
          leadId: b.leadId ?? null,
          accountId: b.accountId ?? null,
          contactId: b.contactId ?? null,
          opportunityId: b.opportunityId ?? null,
        },
        await linkScopes(p),
      )
      return reply.code(201).header('location', `/v1/tasks/${task.id}`).send(toTask(task, new Date()))
    },
  )

  app.post(
    '/:id/complete',
    {
      config: { access: { object: 'task', action: 'update' } },
      schema: {
        tags: ['tasks'],
        summary: 'Complete a task with its outcome',
        description:
          "Records the outcome on the lead's timeline and in the audit trail, and signals the journey (through the " +
          'outbox, in the same transaction). contacted or meeting_booked mark the lead contacted. Completing again ' +
          'with the same outcome answers the same; a different outcome is a conflict.',
        params: TaskParams,
        body: CompleteTaskBody,
        response: { 200: Task, ...problemResponses },
      },
    },
    async (request) => {
      await assertVisible(db, principalOf(request), 'task', request.params.id)
      return toTask(
        await completeTask(db, request.params.id, request.body, request.actor, request.id),
        new Date(),
      )
    },
  )

  app.post(
    '/:id/snooze',
    {
      config: { access: { object: 'task', action: 'update' } },
      schema: {
        tags: ['tasks'],
        summary: 'Snooze an open task',
        description:
          'Hides the task from the inbox until `until` (a future time; 422 otherwise). Its due time is kept. ' +
          'Open tasks only (409 for a done one). Recorded in the audit trail with the reason.',
        params: TaskParams,
        body: SnoozeTaskBody,
        response: { 200: Task, ...problemResponses },
      },
    },
    async (request) => {
      await assertVisible(db, principalOf(request), 'task', request.params.id)
      const now = new Date()
      const task = await snoozeTask(
        db,
        writeContext(request),
        request.params.id,
        { until: instantOf(request.body.until, 'until'), reason: request.body.reason ?? null },
        now,
      )
      return toTask(task, now)
    },
  )

  app.post(
    '/:id/reassign',
    {
      config: { access: { object: 'task', action: 'update' } },
      schema: {
        tags: ['tasks'],
        summary: 'Reassign an open task',
        description:
          'Gives the task to another existing user (422 for an unknown one; 403 for one outside your team unless ' +
          'your role sees every task), out of any queue. Open tasks only ' +
          '(409 for a done one). Recorded in the audit trail and as a task_reassigned timeline entry.',
        params: TaskParams,
        body: ReassignTaskBody,
        response: { 200: Task, ...problemResponses },
      },
    },
    async (request) => {
      const p = principalOf(request)
      await assertVisible(db, p, 'task', request.params.id)
      await assertAssignable(p, 'task', request.body.assigneeId)
      const now = new Date()
      const task = await reassignTask(
        db,
        writeContext(request),
        request.params.id,
        { assigneeId: request.body.assigneeId, reason: request.body.reason ?? null },
        now,
      )
      return toTask(task, now)
    },
  )
}

export default tasks
