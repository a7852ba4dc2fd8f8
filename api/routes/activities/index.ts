import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { logActivity } from '../../../crm/activities.js'
import { linkScopes } from '../../../security/visibility.js'
import { writeContext } from '../../actor.js'
import { principalOf } from '../../plugins/auth.plugin.js'
import { activityStats, toActivity } from '../../queries/activity.queries.js'
import {
  Activity,
  ActivityStats,
  ActivityStatsQuery,
  LogActivityBody,
  LogActivityHeaders,
} from '../../schemas/activity.schema.js'
import { problemResponses } from '../../schemas/problem.schema.js'

const tags = ['activities']

/** Calls, emails, meetings, notes and WhatsApp messages people log, and statistics about them. */
const activities: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.services.db

  app.post(
    '',
    {
      config: { access: { object: 'activity', action: 'create' } },
      schema: {
        tags,
        summary: 'Log an activity',
        description:
          'Linked to at least one of leadId, accountId, contactId, opportunityId, taskId (each must exist and be one ' +
          'you see, 422 otherwise; a contact or ' +
          'deal must belong to the accountId given with it). The caller is credited. When it concerns an account, its ' +
          'health is recomputed. Send an Idempotency-Key to make retries safe: a retry answers 200 with the first entry.',
        headers: LogActivityHeaders,
        body: LogActivityBody,
        response: { 201: Activity, 200: Activity, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { activity, created } = await logActivity(
        db,
        writeContext(request),
        { ...request.body, idempotencyKey: request.headers['idempotency-key'] },
        new Date(),
        await linkScopes(principalOf(request)),
      )
      return reply
        .code(created ? 201 : 200)
        .header('idempotent-replayed', String(!created))
        .send(toActivity(activity))
    },
  )

  app.get(
    '/stats',
    {
      config: { access: { object: 'activity', action: 'read' } },
      schema: {
        tags,
        summary: 'Activity statistics per owner and period',
        description:
          'Counts of logged kinds (call, email, meeting, note, whatsapp) that occurred in [from, to), per owner (the ' +
          'actor credited), per kind and per day, week (from Monday) or month cut in the time zone `tz`. Only the ' +
          'people you see are counted (you, your team; everyone, automated senders included, for a role that sees ' +
          'all); `ownerId` of someone outside your team is a 403.',
        querystring: ActivityStatsQuery,
        response: { 200: ActivityStats, ...problemResponses },
      },
    },
    async (request) => activityStats(db, principalOf(request), request.query, new Date()),
  )
}

export default activities
