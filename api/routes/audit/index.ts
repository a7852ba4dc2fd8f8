import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { listAuditEntries } from '../../queries/audit.queries.js'
import { AuditPage, ListAuditQuery } from '../../schemas/audit.schema.js'
import { problemResponses } from '../../schemas/problem.schema.js'

/*
 * The audit trail, read-only: there is no route that changes or removes an entry, and the
 * table refuses UPDATE and DELETE (a trigger), so no caller can rewrite history.
 */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '',
    {
      config: { access: { object: 'audit', action: 'read' } },
      schema: {
        tags: ['audit'],
        summary: 'Search the audit trail',
        description:
          'Every create, update, merge, conversion, export and permission change, newest first, with its actor, ' +
          "request id and each field's value before and after. Filters combine with AND: entity + entityId is one " +
          "record's history, actorId everything one person (or their API keys) did, requestId every write of one " +
          "request. Pages continue with `cursor` = the previous page's `nextCursor`.",
        querystring: ListAuditQuery,
        response: { 200: AuditPage, ...problemResponses },
      },
    },
    async (request) => listAuditEntries(app.services.db, request.query),
  )
}

export default routes
