import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { createAccount, deactivateAccount, reactivateAccount, updateAccount } from '../../../crm/accounts.js'
import { writeContext } from '../../actor.js'
import { getAccount, listAccountHistory, listAccounts, toAccount } from '../../queries/account.queries.js'
import {
  Account,
  AccountDetail,
  AccountHistoryPage,
  AccountPage,
  AccountParams,
  CreateAccountBody,
  DeactivateAccountBody,
  HistoryQuery,
  ListAccountsQuery,
  PatchAccountBody,
} from '../../schemas/account.schema.js'
import { problemResponses } from '../../schemas/problem.schema.js'

/*
 * Accounts: the companies we sell to. There is no DELETE: an account is deactivated and
 * keeps its history (GET /{id}/history), its deals and its invoices.
 */
const accounts: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.services.db

  app.post(
    '',
    {
      config: { access: { object: 'account', action: 'create' } },
      schema: {
        tags: ['accounts'],
        summary: 'Create an account',
        description:
          'The GSTIN is verified (format, state code, check character) and sets stateCode; domain and GSTIN are ' +
          'unique: a second account with either is a 409 naming the account that has it. ownerId must be a user.',
        body: CreateAccountBody,
        response: { 201: Account, ...problemResponses },
      },
    },
    async (request, reply) => {
      const row = await createAccount(db, writeContext(request), request.body)
      return reply.code(201).header('location', `/v1/accounts/${row.id}`).send(toAccount(row))
    },
  )

  app.get(
    '',
    {
      config: { access: { object: 'account', action: 'read' } },
      schema: {
        tags: ['accounts'],
        summary: 'List accounts by name',
        description:
          'Active accounts unless isActive=false; filters combine with AND. Sorted by name, then id; pages ' +
          "continue with `cursor` = the previous page's `nextCursor`.",
        querystring: ListAccountsQuery,
        response: { 200: AccountPage, ...problemResponses },
      },
    },
    async (request) => listAccounts(db, request.query),
  )

  app.get(
    '/:id',
    {
      config: { access: { object: 'account', action: 'read' } },
      schema: {
        tags: ['accounts'],
        summary: 'Get an account',
        description: 'With its primary contact and the number of active contacts and open opportunities.',
        params: AccountParams,
        response: { 200: AccountDetail, ...problemResponses },
      },
    },
    async (request) => getAccount(db, request.params.id),
  )

  app.patch(
    '/:id',
    {
      config: { access: { object: 'account', action: 'update' } },
      schema: {
        tags: ['accounts'],
        summary: 'Edit an account',
        description:
          'Each changed field is recorded in the history with its value before and after. A new GSTIN moves ' +
          'stateCode with it; a stateCode must agree with the GSTIN.',
        params: AccountParams,
        body: PatchAccountBody,
        response: { 200: Account, ...problemResponses },
      },
    },
    async (request) =>
      toAccount(await updateAccount(db, writeContext(request), request.params.id, request.body)),
  )

  app.post(
    '/:id/deactivate',
    {
      config: { access: { object: 'account', action: 'update' } },
      schema: {
        tags: ['accounts'],
        summary: 'Deactivate an account (accounts are never deleted)',
        description:
          'Records when and why, on the account, in its history and on its timeline, and tells the account ' +
          'lifecycle workflow. 409 when the account is inactive already.',
        params: AccountParams,
        body: DeactivateAccountBody,
        response: { 200: Account, ...problemResponses },
      },
    },
    async (request) =>
      toAccount(await deactivateAccount(db, writeContext(request), request.params.id, request.body.reason)),
  )

  app.post(
    '/:id/reactivate',
    {
      config: { access: { object: 'account', action: 'update' } },
      schema: {
        tags: ['accounts'],
        summary: 'Reactivate a deactivated account',
        description: 'Recorded in its history and on its timeline; 409 when the account is active already.',
        params: AccountParams,
        response: { 200: Account, ...problemResponses },
      },
    },
    async (request) => toAccount(await reactivateAccount(db, writeContext(request), request.params.id)),
  )

  app.get(
    '/:id/history',
    {
      config: { access: { object: 'account', action: 'read' } },
      schema: {
        tags: ['accounts'],
        summary: "An account's history",
        description:
          'Its audit events, newest first: who changed what (each field before and after), in which request.',
        params: AccountParams,
        querystring: HistoryQuery,
        response: { 200: AccountHistoryPage, ...problemResponses },
      },
    },
    async (request) => listAccountHistory(db, request.params.id, request.query),
  )
}

export default accounts
