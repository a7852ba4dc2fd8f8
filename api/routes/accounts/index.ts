import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { createAccount, deactivateAccount, reactivateAccount, updateAccount } from '../../../crm/accounts.js'
import { cleanText } from '../../../domain/lead/normalise.rules.js'
import { assertAssignable, assertRecordAccess, ownerForNew } from '../../../security/record-access.js'
import { accountWhere } from '../../../security/visibility.js'
import { writeContext } from '../../actor.js'
import { principalOf } from '../../plugins/auth.plugin.js'
import { getAccount, listAccountHistory, listAccounts, toAccount } from '../../queries/account.queries.js'
import { withRowSecurity } from '../../../security/row-security.js'
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

/** The owner a body names, as the account rules will store it (blank is none). */
const ownerNamed = (ownerId: string | null | undefined) =>
  ownerId === undefined ? undefined : cleanText(ownerId)

/*
 * Accounts: the companies we sell to. There is no DELETE: an account is deactivated and
 * keeps its history (GET /{id}/history), its deals and its invoices. A caller sees the
 * accounts their role's row scope and shares open to them (security/visibility.ts); any
 * other account answers 404 as if it did not exist, to reads and changes alike.
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
          'unique: a second account with either is a 409 naming the account that has it. ownerId must be a user ' +
          'whose accounts the caller sees (403 otherwise); without one the caller owns it, unless their role sees ' +
          'every account.',
        body: CreateAccountBody,
        response: { 201: Account, ...problemResponses },
      },
    },
    async (request, reply) => {
      const ownerId = await ownerForNew(principalOf(request), 'account', ownerNamed(request.body.ownerId))
      const body = ownerId === undefined ? request.body : { ...request.body, ownerId }
      const row = await createAccount(db, writeContext(request), body)
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
          'The accounts the caller may see; active ones unless isActive=false; filters combine with AND. Sorted ' +
          "by name, then id; pages continue with `cursor` = the previous page's `nextCursor`.",
        querystring: ListAccountsQuery,
        response: { 200: AccountPage, ...problemResponses },
      },
    },
    // PostgreSQL's row security checks the list too: a filter forgotten here cannot leak.
    async (request) => {
      const p = principalOf(request)
      const visible = await accountWhere(p)
      return withRowSecurity(db, p, (tx) => listAccounts(tx, request.query, visible))
    },
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
    async (request) => getAccount(db, request.params.id, await accountWhere(principalOf(request))),
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
          'stateCode with it; a stateCode must agree with the GSTIN. Needs edit access to the account (404 when ' +
          'the caller does not see it, 403 when it is shared with them to read); a new owner must be someone ' +
          'whose accounts the caller sees (403 otherwise).',
        params: AccountParams,
        body: PatchAccountBody,
        response: { 200: Account, ...problemResponses },
      },
    },
    async (request) => {
      const { id } = request.params
      const p = principalOf(request)
      await assertRecordAccess(db, p, 'account', id, 'edit')
      await assertAssignable(p, 'account', ownerNamed(request.body.ownerId), async () => {
        const current = await db.account.findUnique({ where: { id }, select: { ownerId: true } })
        return current?.ownerId
      })
      return toAccount(await updateAccount(db, writeContext(request), id, request.body))
    },
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
    async (request) => {
      await assertRecordAccess(db, principalOf(request), 'account', request.params.id, 'edit')
      return toAccount(
        await deactivateAccount(db, writeContext(request), request.params.id, request.body.reason),
      )
    },
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
    async (request) => {
      await assertRecordAccess(db, principalOf(request), 'account', request.params.id, 'edit')
      return toAccount(await reactivateAccount(db, writeContext(request), request.params.id))
    },
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
    async (request) =>
      listAccountHistory(db, request.params.id, request.query, await accountWhere(principalOf(request))),
  )
}

export default accounts
