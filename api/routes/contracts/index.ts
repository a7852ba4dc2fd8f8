import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  cancelContract,
  createContract,
  renewContract,
  updateContract,
} from '../../../crm/renewals/contracts.js'
import {
  accountsToAddTo,
  assertAssignable,
  assertOwnerInScope,
  assertRecordAccess,
} from '../../../security/record-access.js'
import { throughAccount } from '../../../security/visibility.js'
import { writeContext } from '../../actor.js'
import { principalOf } from '../../plugins/auth.plugin.js'
import { getContract, listContracts, toContract } from '../../queries/contract.queries.js'
import {
  CancelContractBody,
  Contract,
  ContractPage,
  ContractParams,
  CreateContractBody,
  ListContractsQuery,
  RenewContractBody,
  RenewedContract,
  UpdateContractBody,
} from '../../schemas/contract.schema.js'
import { problemResponses } from '../../schemas/problem.schema.js'

/**
 * Contracts and AMCs; the contractRenewal workflow drives each one to its renewal. A contract
 * is seen, and changed, with its account (security/visibility.ts); any other answers 404 as
 * if it did not exist.
 */
const contracts: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.services.db

  app.post(
    '',
    {
      config: { access: { object: 'contract', action: 'create' } },
      schema: {
        tags: ['contracts'],
        summary: 'Activate a contract',
        description:
          'Numbers it (CTR series) and starts its renewal workflow: a renewal opportunity renewalLeadDays ' +
          'before the end date, reminders 60, 30 and 7 days before it, expiry after it. The account must be one ' +
          'the caller may edit (422 at /body/accountId otherwise, as for a missing one); an ownerId must be ' +
          "someone whose contracts the caller sees (403 otherwise; default: the account's owner).",
        body: CreateContractBody,
        response: { 201: Contract, ...problemResponses },
      },
    },
    async (request, reply) => {
      const p = principalOf(request)
      await assertOwnerInScope(p, 'contract', request.body.ownerId)
      const accounts = await accountsToAddTo(db, p, 'contract', request.body.accountId)
      const row = await createContract(db, writeContext(request), request.body, new Date(), accounts)
      return reply.code(201).send(toContract(row))
    },
  )

  app.get(
    '',
    {
      config: { access: { object: 'contract', action: 'read' } },
      schema: {
        tags: ['contracts'],
        summary: 'List contracts, soonest end first',
        querystring: ListContractsQuery,
        response: { 200: ContractPage, ...problemResponses },
      },
    },
    async (request) =>
      listContracts(db, request.query, await throughAccount(principalOf(request), 'contract')),
  )

  app.get(
    '/:id',
    {
      config: { access: { object: 'contract', action: 'read' } },
      schema: {
        tags: ['contracts'],
        summary: 'A contract',
        params: ContractParams,
        response: { 200: Contract, ...problemResponses },
      },
    },
    async (request) =>
      getContract(db, request.params.id, await throughAccount(principalOf(request), 'contract')),
  )

  app.patch(
    '/:id',
    {
      config: { access: { object: 'contract', action: 'update' } },
      schema: {
        tags: ['contracts'],
        summary: 'Change an active contract’s end date, lead time, owner or value',
        description:
          'The renewal workflow re-plans its milestones from the new terms. A new owner must be someone whose ' +
          'contracts the caller sees (403 otherwise).',
        params: ContractParams,
        body: UpdateContractBody,
        response: { 200: Contract, ...problemResponses },
      },
    },
    async (request) => {
      const { id } = request.params
      const p = principalOf(request)
      await assertRecordAccess(db, p, 'contract', id, 'edit')
      await assertAssignable(p, 'contract', request.body.ownerId, async () => {
        const current = await db.contract.findUnique({ where: { id }, select: { ownerId: true } })
        return current?.ownerId
      })
      return toContract(await updateContract(db, writeContext(request), id, request.body))
    },
  )

  app.post(
    '/:id/cancel',
    {
      config: { access: { object: 'contract', action: 'update' } },
      schema: {
        tags: ['contracts'],
        summary: 'Cancel an active contract',
        params: ContractParams,
        body: CancelContractBody,
        response: { 200: Contract, ...problemResponses },
      },
    },
    async (request) => {
      await assertRecordAccess(db, principalOf(request), 'contract', request.params.id, 'edit')
      return toContract(
        await cancelContract(db, writeContext(request), request.params.id, request.body.reason),
      )
    },
  )

  app.post(
    '/:id/renew',
    {
      config: { access: { object: 'contract', action: 'update' } },
      schema: {
        tags: ['contracts'],
        summary: 'Renew a contract into its successor',
        description:
          'The successor starts the day after the old end date; the old contract is marked renewed, and its ' +
          'open renewal opportunity is closed as won.',
        params: ContractParams,
        body: RenewContractBody,
        response: { 201: RenewedContract, ...problemResponses },
      },
    },
    async (request, reply) => {
      await assertRecordAccess(db, principalOf(request), 'contract', request.params.id, 'edit')
      const { renewed, successor } = await renewContract(
        db,
        writeContext(request),
        request.params.id,
        request.body,
      )
      return reply.code(201).send({ renewed: toContract(renewed), successor: toContract(successor) })
    },
  )
}

export default contracts
