import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { createOrder } from '../../../crm/billing/orders.js'
import { assertCanAddFrom } from '../../../security/record-access.js'
import { throughAccount } from '../../../security/visibility.js'
import { writeContext } from '../../actor.js'
import { principalOf } from '../../plugins/auth.plugin.js'
import { getOrder, listOrders, toOrder } from '../../queries/order.queries.js'
import {
  CreateOrderBody,
  ListOrdersQuery,
  Order,
  OrderPage,
  OrderParams,
} from '../../schemas/order.schema.js'
import { problemResponses } from '../../schemas/problem.schema.js'

/*
 * Sales orders: what a won deal sold, line by line; invoices are issued from them. An order
 * is seen with its account (security/visibility.ts); any other answers 404.
 */
const orders: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.services.db

  app.post(
    '',
    {
      config: { access: { object: 'order', action: 'create' } },
      schema: {
        tags: ['orders'],
        summary: 'Create the sales order of a won opportunity',
        description:
          'Only a closed_won opportunity (422 otherwise) the caller may edit, on an account they may edit (404 ' +
          'otherwise); its currency is the order’s. One order per opportunity: ' +
          'posting the same lines and notes again answers 200 with the order already made (a safe retry); other ' +
          'lines are a 409 naming that order. Numbered SO/<financial year>/<counter>, consecutively.',
        body: CreateOrderBody,
        response: { 200: Order, 201: Order, ...problemResponses },
      },
    },
    async (request, reply) => {
      const deal = { type: 'opportunity' as const, id: request.body.opportunityId }
      await assertCanAddFrom(db, principalOf(request), deal, 'order')
      const { order, created } = await createOrder(db, writeContext(request), request.body)
      return reply
        .code(created ? 201 : 200)
        .header('location', `/v1/orders/${order.id}`)
        .send(toOrder(order))
    },
  )

  app.get(
    '',
    {
      config: { access: { object: 'order', action: 'read' } },
      schema: {
        tags: ['orders'],
        summary: 'List sales orders, newest first',
        description:
          'Filters combine with AND; pages continue with `cursor` = the previous page’s `nextCursor`.',
        querystring: ListOrdersQuery,
        response: { 200: OrderPage, ...problemResponses },
      },
    },
    async (request) => listOrders(db, request.query, await throughAccount(principalOf(request), 'order')),
  )

  app.get(
    '/:id',
    {
      config: { access: { object: 'order', action: 'read' } },
      schema: {
        tags: ['orders'],
        summary: 'Get a sales order with its lines and invoiced quantities',
        params: OrderParams,
        response: { 200: Order, ...problemResponses },
      },
    },
    async (request) => getOrder(db, request.params.id, await throughAccount(principalOf(request), 'order')),
  )
}

export default orders
