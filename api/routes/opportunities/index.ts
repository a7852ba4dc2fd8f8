import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { closeOpportunity, moveOpportunityStage } from '../../../crm/opportunity-stages.js'
import { createOpportunity, updateOpportunity } from '../../../crm/opportunities.js'
import { writeContext } from '../../actor.js'
import { getOpportunity, listOpportunities, opportunityDetail } from '../../queries/opportunity.queries.js'
import {
  CreateOpportunityBody,
  ListOpportunitiesQuery,
  LoseBody,
  MoveStageBody,
  OpportunityDetail,
  OpportunityPage,
  OpportunityParams,
  UpdateOpportunityBody,
  WinBody,
} from '../../schemas/opportunity.schema.js'
import { problemResponses } from '../../schemas/problem.schema.js'

const tags = ['opportunities']

/** Deals: the pipeline from qualification to won or lost, with stage history and forecast. */
const opportunities: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.services.db

  app.post(
    '',
    {
      config: { access: { object: 'opportunity', action: 'create' } },
      schema: {
        tags,
        summary: 'Create an opportunity',
        description:
          'At an active account; contactId must be one of its contacts, ownerId an existing user (default: the ' +
          "account's owner). Without a probability the stage's default from the pipeline rule set applies " +
          '(/v1/rule-sets/pipeline). upsell and cross_sell need a customer account (422 otherwise).',
        body: CreateOpportunityBody,
        response: { 201: OpportunityDetail, ...problemResponses },
      },
    },
    async (request, reply) => {
      const now = new Date()
      const row = await createOpportunity(db, writeContext(request), request.body, now)
      return reply
        .code(201)
        .header('location', `/v1/opportunities/${row.id}`)
        .send(await opportunityDetail(db, row, now))
    },
  )

  app.get(
    '',
    {
      config: { access: { object: 'opportunity', action: 'read' } },
      schema: {
        tags,
        summary: 'List opportunities, soonest close date first',
        description:
          "Filters combine with AND; forecastCategory is judged as of today. Pages continue with the previous page's " +
          '`nextCursor`.',
        querystring: ListOpportunitiesQuery,
        response: { 200: OpportunityPage, ...problemResponses },
      },
    },
    async (request) => listOpportunities(db, request.query, new Date()),
  )

  app.get(
    '/:id',
    {
      config: { access: { object: 'opportunity', action: 'read' } },
      schema: {
        tags,
        summary: 'An opportunity with its stage history',
        params: OpportunityParams,
        response: { 200: OpportunityDetail, ...problemResponses },
      },
    },
    async (request) => getOpportunity(db, request.params.id, new Date()),
  )

  app.patch(
    '/:id',
    {
      config: { access: { object: 'opportunity', action: 'update' } },
      schema: {
        tags,
        summary: "Change an open opportunity's details",
        description: 'Closed deals are read-only (409). The forecast category is derived again.',
        params: OpportunityParams,
        body: UpdateOpportunityBody,
        response: { 200: OpportunityDetail, ...problemResponses },
      },
    },
    async (request) => {
      const now = new Date()
      const row = await updateOpportunity(db, writeContext(request), request.params.id, request.body, now)
      return opportunityDetail(db, row, now)
    },
  )

  app.post(
    '/:id/stage',
    {
      config: { access: { object: 'opportunity', action: 'update' } },
      schema: {
        tags,
        summary: 'Move an open opportunity to another open stage',
        description:
          "Records the stage history, an audit row and a stage_change entry on the deal's timeline. Without a " +
          "probability the stage's default from the pipeline rule set applies. Moving to the current stage changes " +
          'nothing; a closed deal cannot move (409).',
        params: OpportunityParams,
        body: MoveStageBody,
        response: { 200: OpportunityDetail, ...problemResponses },
      },
    },
    async (request) => {
      const now = new Date()
      const row = await moveOpportunityStage(db, writeContext(request), request.params.id, request.body, now)
      return opportunityDetail(db, row, now)
    },
  )

  app.post(
    '/:id/win',
    {
      config: { access: { object: 'opportunity', action: 'update' } },
      schema: {
        tags,
        summary: 'Mark an opportunity won',
        description:
          "Probability 100, forecast closed, the reason kept; the account's health and lifecycle are recomputed " +
          '(through the outbox, in the same transaction). Winning again with the same reason answers the same; a lost ' +
          'deal, or another reason, is a conflict (409).',
        params: OpportunityParams,
        body: WinBody,
        response: { 200: OpportunityDetail, ...problemResponses },
      },
    },
    async (request) => {
      const now = new Date()
      const row = await closeOpportunity(
        db,
        writeContext(request),
        request.params.id,
        { outcome: 'won', ...request.body },
        now,
      )
      return opportunityDetail(db, row, now)
    },
  )

  app.post(
    '/:id/lose',
    {
      config: { access: { object: 'opportunity', action: 'update' } },
      schema: {
        tags,
        summary: 'Mark an opportunity lost',
        description:
          "Probability 0, forecast omitted, the reason (and competitor) kept; the account's health and lifecycle are " +
          'recomputed. Repeating the same request answers the same; a won deal is a conflict (409).',
        params: OpportunityParams,
        body: LoseBody,
        response: { 200: OpportunityDetail, ...problemResponses },
      },
    },
    async (request) => {
      const now = new Date()
      const row = await closeOpportunity(
        db,
        writeContext(request),
        request.params.id,
        { outcome: 'lost', ...request.body },
        now,
      )
      return opportunityDetail(db, row, now)
    },
  )
}

export default opportunities
