import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { openTicket, respondToTicket, setTicketStatus, updateTicket } from '../../../crm/support/tickets.js'
import { accountsToAddTo, assertRecordAccess } from '../../../security/record-access.js'
import { throughAccount } from '../../../security/visibility.js'
import { writeContext } from '../../actor.js'
import { principalOf } from '../../plugins/auth.plugin.js'
import { getTicket, listTickets, toTicket } from '../../queries/ticket.queries.js'
import { problemResponses } from '../../schemas/problem.schema.js'
import {
  ListTicketsQuery,
  OpenTicketBody,
  RespondBody,
  Ticket,
  TicketPage,
  TicketParams,
  TicketStatusBody,
  UpdateTicketBody,
} from '../../schemas/ticket.schema.js'

/**
 * Support tickets with SLA deadlines; the ticketSla workflow watches each one through the
 * outbox. A ticket is seen, and changed, with its account (security/visibility.ts); any
 * other answers 404 as if it did not exist.
 */
const tickets: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.services.db

  app.post(
    '',
    {
      config: { access: { object: 'ticket', action: 'create' } },
      schema: {
        tags: ['tickets'],
        summary: 'Open a support ticket',
        description:
          'Numbers it (TKT series, gapless per financial year), sets its first-response and resolution ' +
          'deadlines from the priority (calendar hours; business hours are not modelled) and starts its SLA ' +
          'watcher through the outbox. The account must be one the caller may edit (422 at /body/accountId ' +
          'otherwise, as for a missing one).',
        body: OpenTicketBody,
        response: { 201: Ticket, ...problemResponses },
      },
    },
    async (request, reply) => {
      const now = new Date()
      const accounts = await accountsToAddTo(db, principalOf(request), 'ticket', request.body.accountId)
      const row = await openTicket(db, writeContext(request), request.body, now, accounts)
      return reply.code(201).send(toTicket(row, now))
    },
  )

  app.get(
    '',
    {
      config: { access: { object: 'ticket', action: 'read' } },
      schema: {
        tags: ['tickets'],
        summary: 'List tickets, newest first',
        querystring: ListTicketsQuery,
        response: { 200: TicketPage, ...problemResponses },
      },
    },
    async (request) => listTickets(db, request.query, await throughAccount(principalOf(request), 'ticket')),
  )

  app.get(
    '/:id',
    {
      config: { access: { object: 'ticket', action: 'read' } },
      schema: {
        tags: ['tickets'],
        summary: 'A ticket with its deadlines, breach flags and time left',
        params: TicketParams,
        response: { 200: Ticket, ...problemResponses },
      },
    },
    async (request) => getTicket(db, request.params.id, await throughAccount(principalOf(request), 'ticket')),
  )

  app.post(
    '/:id/respond',
    {
      config: { access: { object: 'ticket', action: 'update' } },
      schema: {
        tags: ['tickets'],
        summary: 'Record a response to the customer',
        description:
          'The first response stops the first-response clock (recorded once) and opens a new ticket.',
        params: TicketParams,
        body: RespondBody,
        response: { 200: Ticket, ...problemResponses },
      },
    },
    async (request) => {
      await assertRecordAccess(db, principalOf(request), 'ticket', request.params.id, 'edit')
      const now = new Date()
      return toTicket(
        await respondToTicket(db, writeContext(request), request.params.id, request.body, now),
        now,
      )
    },
  )

  app.post(
    '/:id/status',
    {
      config: { access: { object: 'ticket', action: 'update' } },
      schema: {
        tags: ['tickets'],
        summary: 'Move a ticket to open, pending, resolved or closed',
        params: TicketParams,
        body: TicketStatusBody,
        response: { 200: Ticket, ...problemResponses },
      },
    },
    async (request) => {
      await assertRecordAccess(db, principalOf(request), 'ticket', request.params.id, 'edit')
      const now = new Date()
      return toTicket(
        await setTicketStatus(db, writeContext(request), request.params.id, request.body, now),
        now,
      )
    },
  )

  app.patch(
    '/:id',
    {
      config: { access: { object: 'ticket', action: 'update' } },
      schema: {
        tags: ['tickets'],
        summary: 'Change a ticket’s priority (deadlines recomputed from creation) or assignee',
        params: TicketParams,
        body: UpdateTicketBody,
        response: { 200: Ticket, ...problemResponses },
      },
    },
    async (request) => {
      await assertRecordAccess(db, principalOf(request), 'ticket', request.params.id, 'edit')
      const now = new Date()
      return toTicket(
        await updateTicket(db, writeContext(request), request.params.id, request.body, now),
        now,
      )
    },
  )
}

export default tickets
