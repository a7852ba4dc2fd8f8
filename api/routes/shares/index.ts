import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { listShares, shareRecord, toShare, unshare } from '../../../security/shares.js'
import { actingOf, principalOf } from '../../plugins/auth.plugin.js'
import { problemResponses } from '../../schemas/problem.schema.js'
import {
  CreateShareBody,
  ListSharesQuery,
  Share,
  ShareList,
  ShareParams,
} from '../../schemas/share.schema.js'

/*
 * Sharing a lead, account or opportunity with someone beyond their role's reach. The
 * permission checked depends on the record's type, so these routes take any signed-in
 * caller and check `<type>:update` (or read) themselves.
 */
const shares: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.services
  const acting = actingOf

  app.post(
    '',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['shares'],
        summary: 'Share a record with a user',
        description:
          'Needs `<recordType>:update` and edit access to the record (404 when you do not see it, 403 when it is ' +
          'shared with you to read only). Sharing again changes the access. Recorded in the record’s history as share.',
        body: CreateShareBody,
        response: { 200: Share, 201: Share, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { share, created } = await shareRecord(acting(request), request.body)
      return reply.code(created ? 201 : 200).send(toShare(share))
    },
  )

  app.get(
    '',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['shares'],
        summary: "A record's shares",
        description: 'Of a record you can see (404 otherwise), with `<recordType>:read`.',
        querystring: ListSharesQuery,
        response: { 200: ShareList, ...problemResponses },
      },
    },
    async (request) => {
      const { recordType, recordId } = request.query
      return { items: (await listShares(db, principalOf(request), recordType, recordId)).map(toShare) }
    },
  )

  app.delete(
    '/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['shares'],
        summary: 'Withdraw a share',
        description: 'Needs what sharing needs. Recorded in the record’s history as unshare.',
        params: ShareParams,
        response: { 204: Type.Null({ description: 'Withdrawn.' }), ...problemResponses },
      },
    },
    async (request, reply) => {
      await unshare(acting(request), request.params.id)
      return reply.code(204).send(null)
    },
  )
}

export default shares
