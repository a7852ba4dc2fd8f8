import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { TimelineSubjectKind } from '../../../crm/timeline.js'
import { principalOf } from '../../plugins/auth.plugin.js'
import { timelinePage } from '../../queries/activity.queries.js'
import { ActivityPage, TimelineParams, TimelineQuery } from '../../schemas/activity.schema.js'
import { problemResponses } from '../../schemas/problem.schema.js'

const SUBJECTS: { kind: TimelineSubjectKind; path: string; includes: string }[] = [
  { kind: 'lead', path: 'leads', includes: 'its own entries and those of the leads merged into it' },
  {
    kind: 'account',
    path: 'accounts',
    includes:
      "its own entries, its contacts', its opportunities', and those of the leads its contacts came from",
  },
  {
    kind: 'contact',
    path: 'contacts',
    includes: 'its own entries and those of the lead it was converted from',
  },
  {
    kind: 'opportunity',
    path: 'opportunities',
    includes: 'its own entries (stage changes, logged activities)',
  },
  { kind: 'task', path: 'tasks', includes: 'its own entries' },
]

/** One timeline endpoint per record, newest first; a record the caller does not see is a 404. Mounted at /v1. */
const timeline: FastifyPluginAsyncTypebox = async (app) => {
  for (const s of SUBJECTS)
    app.get(
      `/${s.path}/:id/timeline`,
      {
        config: { access: { object: 'activity', action: 'read' } },
        schema: {
          tags: ['timeline'],
          summary: `The timeline of a ${s.kind}`,
          description:
            `Newest first: ${s.includes}. Filter with kind; continue with the previous page's nextCursor. ` +
            `A ${s.kind} you do not see is a 404.`,
          params: TimelineParams,
          querystring: TimelineQuery,
          response: { 200: ActivityPage, ...problemResponses },
        },
      },
      async (request) =>
        timelinePage(
          app.services.db,
          principalOf(request),
          { kind: s.kind, id: request.params.id },
          request.query,
        ),
    )
}

export default timeline
