import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import {
  checkConversionAccount,
  conversionEligibility,
  findConversion,
  previewConversion,
  type AccountReach,
} from '../../../crm/conversion.js'
import { readQualification } from '../../../crm/qualification.js'
import { validateQualificationInput } from '../../../domain/qualification/qualification-input.rules.js'
import { LeadwireError } from '../../../platform/errors.js'
import type { Principal } from '../../../security/principal.js'
import { accountWhere, assertVisible, type Access } from '../../../security/visibility.js'
import {
  convertLead,
  disqualifyLead,
  getJourneyState,
  leadJourneyId,
  recordQualification,
  recycleLead,
} from '../../../workflows/lead-journey.messages.js'
import {
  ConsentBody,
  ConsentResult,
  ConversionBody,
  ConversionPreview,
  ConversionResult,
  Eligibility,
  JourneyView,
  QualificationBody,
  QualificationSummary,
  StageCommandBody,
  StoredQualification,
  type JourneyViewBody,
} from '../../schemas/journey.schema.js'
import { LeadParams } from '../../schemas/lead.schema.js'
import { problemResponses } from '../../schemas/problem.schema.js'
import { principalOf } from '../../plugins/auth.plugin.js'
import { runJourneyUpdate } from './journey-commands.js'

/**
 * The accounts a conversion may report or join for the caller: the lookup matches among
 * every account (domain and GSTIN are unique), so what it answers is limited here.
 */
async function accountReach(p: Principal): Promise<AccountReach> {
  return {
    read: p.can('account', 'read') ? await accountWhere(p, 'read') : null,
    edit: p.can('account', 'update') ? await accountWhere(p, 'edit') : null,
    gstin: p.fieldAccess('account', 'gstin'),
  }
}

/**
 * A lead's journey from the API: its state, the commands people give it (qualify, convert,
 * disqualify, recycle) and the facts that change what it may do (consent). Commands go to
 * the workflow as validated updates, so the journey decides; reads that must work when the
 * journey is closed come from PostgreSQL. Reads need the lead visible to the caller (404
 * otherwise), commands need it changeable by them (403 when it is shared to read only).
 */
const journey: FastifyPluginAsyncTypebox = async (app) => {
  const requireLead = async (request: FastifyRequest, id: string, access: Access) => {
    await assertVisible(app.services.db, principalOf(request), 'lead', id, access)
    return app.services.db.lead.findUniqueOrThrow({
      where: { id },
      select: { id: true, journeyStage: true, score: true, ownerId: true },
    })
  }

  app.get(
    '/:id/journey',
    {
      config: { access: { object: 'journey', action: 'read' } },
      schema: {
        tags: ['journey'],
        summary: "The lead's journey: stage, next step and when it is due",
        description:
          'Asks the running journey (a Temporal query). When the journey is closed or Temporal cannot be asked, ' +
          'answers with the stage PostgreSQL last recorded (source "database").',
        params: LeadParams,
        response: { 200: JourneyView, ...problemResponses },
      },
    },
    async (request): Promise<JourneyViewBody> => {
      const lead = await requireLead(request, request.params.id, 'read')
      const workflowId = leadJourneyId(lead.id)
      try {
        const view = await app.services.temporal.connection.withDeadline(Date.now() + 3000, () =>
          app.services.temporal.workflow.getHandle(workflowId).query(getJourneyState),
        )
        return { ...view, workflowId, source: 'workflow' }
      } catch {
        return {
          workflowId,
          source: 'database',
          leadId: lead.id,
          stage: (lead.journeyStage as JourneyViewBody['stage']) ?? null,
          score: lead.score,
          ownerId: lead.ownerId,
          nextStep: null,
        }
      }
    },
  )

  app.get(
    '/:id/qualification',
    {
      config: { access: { object: 'journey', action: 'read' } },
      schema: {
        tags: ['journey'],
        summary: 'Qualification summary: BANT and MEDDICC answers, scores, risk level and reasons',
        params: LeadParams,
        response: { 200: StoredQualification, ...problemResponses },
      },
    },
    async (request) => {
      await requireLead(request, request.params.id, 'read')
      return readQualification(app.services.db, request.params.id)
    },
  )

  app.post(
    '/:id/qualification',
    {
      config: { access: { object: 'journey', action: 'update' } },
      schema: {
        tags: ['journey'],
        summary: 'Record BANT or MEDDICC answers',
        description:
          'A validated update to the journey: accepted while the lead is Contacted or in Qualification (409 otherwise). ' +
          'Answers the new summary with its risk level and reasons.',
        params: LeadParams,
        body: QualificationBody,
        response: { 200: QualificationSummary, ...problemResponses },
      },
    },
    async (request) => {
      await requireLead(request, request.params.id, 'edit')
      const checked = validateQualificationInput(request.body)
      if (!checked.ok)
        throw new LeadwireError('validation_failed', 422, 'The qualification answers are not valid.', {
          errors: checked.errors.map((e) => ({ pointer: `/body${e.pointer}`, message: e.message })),
        })
      return runJourneyUpdate(app.services.temporal, request.params.id, recordQualification, {
        input: checked.value,
        actorId: request.actor.id,
      })
    },
  )

  app.get(
    '/:id/conversion/eligibility',
    {
      config: { access: { object: 'journey', action: 'read' } },
      schema: {
        tags: ['journey'],
        summary: 'Whether the lead can be converted now, and why not',
        params: LeadParams,
        response: { 200: Eligibility, ...problemResponses },
      },
    },
    async (request) => {
      await requireLead(request, request.params.id, 'read')
      return conversionEligibility(app.services.db, request.params.id)
    },
  )

  app.post(
    '/:id/conversion/preview',
    {
      config: { access: { object: 'journey', action: 'read' } },
      schema: {
        tags: ['journey'],
        summary: 'Preview a conversion: the account matched or created, the contact and the opportunity',
        description:
          'Writes nothing. The account is matched by domain first, then by GSTIN. A match the caller does not see ' +
          'is reported without its id, name, domain or GSTIN, and the eligibility says the caller cannot convert into it.',
        params: LeadParams,
        body: ConversionBody,
        response: { 200: ConversionPreview, ...problemResponses },
      },
    },
    async (request) => {
      await requireLead(request, request.params.id, 'read')
      return previewConversion(
        app.services.db,
        request.params.id,
        request.body,
        await accountReach(principalOf(request)),
      )
    },
  )

  app.post(
    '/:id/conversion',
    {
      config: { access: { object: 'account', action: 'create' } },
      schema: {
        tags: ['journey'],
        summary: 'Convert the lead: Account, Contact, Opportunity and first Activity in one transaction',
        description:
          'Runs through the journey (an update), so only a lead in Qualification converts (409 otherwise). All or ' +
          'nothing, and idempotent: converting again answers with the same records. Joining an existing account ' +
          'needs the right to change it (403 otherwise, also for one the caller does not see), and may not write a ' +
          'GSTIN onto it when that field is read-only for the caller.',
        params: LeadParams,
        body: ConversionBody,
        response: { 201: ConversionResult, ...problemResponses },
      },
    },
    async (request, reply) => {
      await requireLead(request, request.params.id, 'edit')
      // Converted already (the journey may have closed since): the same records again.
      const done = await findConversion(app.services.db, request.params.id)
      if (done) return reply.code(201).send(done)
      // Checked here, before anything is written: the journey and its activity know no principals.
      const expectedAccountId = await checkConversionAccount(
        app.services.db,
        request.params.id,
        request.body,
        await accountReach(principalOf(request)),
      )
      const result = await runJourneyUpdate(app.services.temporal, request.params.id, convertLead, {
        request: { ...request.body, expectedAccountId },
        actorId: request.actor.id,
        requestId: request.id,
      })
      return reply.code(201).send(result)
    },
  )

  for (const [path, update, summary] of [
    ['disqualify', disqualifyLead, 'Disqualify the lead: its sequence stops and its tasks close'],
    [
      'recycle',
      recycleLead,
      'Recycle the lead: back to marketing, a new nurture cycle after the recycle period',
    ],
  ] as const) {
    app.post(
      `/:id/${path}`,
      {
        config: { access: { object: 'journey', action: 'update' } },
        schema: {
          tags: ['journey'],
          summary,
          params: LeadParams,
          body: StageCommandBody,
          response: { 200: JourneyView, ...problemResponses },
        },
      },
      async (request) => {
        await requireLead(request, request.params.id, 'edit')
        const view = await runJourneyUpdate(app.services.temporal, request.params.id, update, {
          reason: request.body.reason,
          actorId: request.actor.id,
        })
        return { ...view, workflowId: leadJourneyId(request.params.id), source: 'workflow' as const }
      },
    )
  }

  app.post(
    '/:id/consent',
    {
      config: { access: { object: 'lead', action: 'update' } },
      schema: {
        tags: ['leads'],
        summary: 'Record an opt-in, an opt-out or a DND result',
        description:
          'Appends to the consent history and updates the lead. When marketing channels change, the journey is told ' +
          '(through the outbox): an opt-out or DND stops its sequence before the next message.',
        params: LeadParams,
        body: ConsentBody,
        response: { 200: ConsentResult, ...problemResponses },
      },
    },
    async (request) => {
      await requireLead(request, request.params.id, 'edit')
      return app.services.leads.recordConsentChange(
        request.params.id,
        request.body,
        request.actor,
        request.id,
      )
    },
  )
}

export default journey
