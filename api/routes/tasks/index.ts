import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { requestedTimeZone } from '../../../crm/reports/report-window.js'
import { createManualTask, reassignTask, snoozeTask } from '../../../crm/task-commands.js'
import { completeTask } from '../../../crm/tasks.js'
import { DomainRuleError, UnauthorizedError } from '../../../platform/errors.js'
import { writeContext } from '../../actor.js'
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

/** `me` is whoever calls; a caller that names no user has no inbox of its own. */
function callingUser(request: FastifyRequest): string {
  if (request.actor.userId === null)
    throw new UnauthorizedError('assigneeId=me needs the calling user: send X-Leadwire-User.')
  return request.actor.userId
}

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

/** SDR tasks: the inbox, manual tasks, and completing, snoozing and reassigning them. */
const tasks: FastifyPluginAsyncTypebox = async (app) => {
  const defaultZone = app.services.config.JOURNEY_DEFAULT_TIME_ZONE

  app.get(
    '',
    {
      config: { access: { object: 'task', action: 'read' } },
      schema: {
        tags: ['tasks'],
        summary: 'The task inbox, soonest due first',
        description:
          'Sorted by due time, then id; pages continue with `cursor`. `assigneeId=me` is the calling user ' +
          '(X-Leadwire-User; 401 without one). Open tasks snoozed until a time still to come are hidden unless ' +
          '`includeSnoozed=true`. `due` buckets use the calendar of `tz` (default the configured zone): overdue is ' +
          'open and past due; today is due on today’s date; upcoming is due after today.',
        querystring: ListTasksQuery,
        response: { 200: TaskPage, ...problemResponses },
      },
    },
    async (request) => {
      const { assigneeId, tz, ...filters } = request.query
      return listTasks(app.services.db, {
        ...filters,
        assigneeId: assigneeId === 'me' ? callingUser(request) : assigneeId,
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
        params: TaskParams,
        response: { 200: Task, ...problemResponses },
      },
    },
    async (request) => getTask(app.services.db, request.params.id),
  )

  app.post(
    '',
    {
      config: { access: { object: 'task', action: 'create' } },
      schema: {
        tags: ['tasks'],
        summary: 'Add a task by hand',
        description:
          'Assigned to `assigneeId` (an existing user), or waiting in `queue`, or else to the caller ' +
          '(X-Leadwire-User). Linked records must exist (422), and a contact or opportunity given with an account ' +
          'must belong to it. Recorded in the audit trail.',
        body: CreateTaskBody,
        response: { 201: Task, ...problemResponses },
      },
    },
    async (request, reply) => {
      const b = request.body
      if (b.assigneeId && b.queue)
        throw new DomainRuleError('A task has an assignee or waits in a queue, not both.', [
          { pointer: '/body/queue', message: 'must not be given with assigneeId' },
        ])
      const assigneeId = b.assigneeId ?? (b.queue ? null : request.actor.userId)
      if (!assigneeId && !b.queue)
        throw new DomainRuleError('Say who the task is for.', [
          {
            pointer: '/body/assigneeId',
            message: 'is required when the caller names no user and no queue is given',
          },
        ])
      const task = await createManualTask(app.services.db, writeContext(request), {
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
      })
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
    async (request) =>
      toTask(
        await completeTask(app.services.db, request.params.id, request.body, request.actor, request.id),
        new Date(),
      ),
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
      const now = new Date()
      const task = await snoozeTask(
        app.services.db,
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
          'Gives the task to another existing user (422 for an unknown one), out of any queue. Open tasks only ' +
          '(409 for a done one). Recorded in the audit trail and as a task_reassigned timeline entry.',
        params: TaskParams,
        body: ReassignTaskBody,
        response: { 200: Task, ...problemResponses },
      },
    },
    async (request) => {
      const now = new Date()
      const task = await reassignTask(
        app.services.db,
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
