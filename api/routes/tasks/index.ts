import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { completeTask } from '../../../crm/tasks.js'
import { listTasks, toTask } from '../../queries/task.queries.js'
import { problemResponses } from '../../schemas/problem.schema.js'
import { CompleteTaskBody, ListTasksQuery, Task, TaskPage, TaskParams } from '../../schemas/task.schema.js'
import { ANONYMOUS_API } from '../../actor.js'

/** SDR tasks: the inbox, and completing a task (which tells its journey). */
const tasks: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '',
    {
      schema: {
        tags: ['tasks'],
        summary: 'List tasks, soonest due first',
        querystring: ListTasksQuery,
        response: { 200: TaskPage, ...problemResponses },
      },
    },
    async (request) => listTasks(app.services.db, request.query),
  )

  app.post(
    '/:id/complete',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Complete a task with its outcome',
        description:
          "Records the outcome on the lead's timeline and signals the journey (through the outbox, in the same " +
          'transaction). contacted or meeting_booked mark the lead contacted. Completing again with the same outcome ' +
          'answers the same; a different outcome is a conflict.',
        params: TaskParams,
        body: CompleteTaskBody,
        response: { 200: Task, ...problemResponses },
      },
    },
    async (request) =>
      toTask(
        await completeTask(app.services.db, request.params.id, request.body, ANONYMOUS_API, request.id),
        new Date(),
      ),
  )
}

export default tasks
