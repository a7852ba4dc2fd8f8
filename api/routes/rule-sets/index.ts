import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { evaluateDraft, type DraftSource } from '../../../ingestion/rules/evaluate-draft.js'
import {
  activateDraftRuleSet,
  activateRuleSet,
  readActiveRuleSet,
  saveDraftRuleSet,
} from '../../../ingestion/rules/rule-sets.js'
import { DomainRuleError } from '../../../platform/errors.js'
import { problemResponses } from '../../schemas/problem.schema.js'
import {
  DecidingKindParams,
  DecidingVersionParams,
  DefinitionBody,
  DraftEvaluation,
  EvaluateBody,
  EvaluateStoredBody,
  KindParams,
  RuleSet,
  RuleSetVersion,
  VersionParams,
} from '../../schemas/rule-set.schema.js'

const EVALUATE_DESCRIPTION =
  'Which leads created in the last `days` days would land in another score band (cold < 40, warm 40-69, ' +
  'hot ≥ 70) or with another owner under the draft, judged from the inputs their stored decisions kept. ' +
  '`assumptions` says what the evaluation takes for granted. Nothing is written.'

/** Scoring, assignment and journey rules as versioned data; drafts evaluated before they decide anything. */
const ruleSets: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/:kind',
    {
      config: { access: { object: 'rule_set', action: 'read' } },
      schema: {
        tags: ['rules'],
        summary: 'The active rule set of a kind (scoring, assignment, journey, pipeline)',
        params: KindParams,
        response: { 200: RuleSet, ...problemResponses },
      },
    },
    async (request) => readActiveRuleSet(app.services.db, request.params.kind),
  )

  app.post(
    '/:kind',
    {
      config: { access: { object: 'rule_set', action: 'update' } },
      schema: {
        tags: ['rules'],
        summary: 'Save a new version and make it active',
        description:
          "Validated by the kind's rules (422 lists every problem with a pointer). Versions are never edited: the " +
          'previous one is retired. A journey policy applies to journeys and nurture cycles that start afterwards ' +
          '(first-contact SLA, task due times, qualification trigger, quiet hours, the nurture sequence).',
        params: KindParams,
        body: DefinitionBody,
        response: { 201: RuleSet, ...problemResponses },
      },
    },
    async (request, reply) => {
      const saved = await activateRuleSet(
        app.services.db,
        request.params.kind,
        request.body.definition,
        request.actor,
        request.id,
      )
      app.services.rules.invalidate()
      return reply.code(201).send(saved)
    },
  )

  app.post(
    '/:kind/drafts',
    {
      config: { access: { object: 'rule_set', action: 'update' } },
      schema: {
        tags: ['rules'],
        summary: 'Save a new version as a draft, without activating it',
        description:
          'Validated like an active save (422 with pointers). The draft takes the next version number and decides ' +
          'nothing until it is activated; evaluate it against past leads first.',
        params: KindParams,
        body: DefinitionBody,
        response: { 201: RuleSetVersion, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await saveDraftRuleSet(app.services.db, request.params.kind, request.body.definition, {
          actor: request.actor,
          requestId: request.id,
        }),
      ),
  )

  app.post(
    '/:kind/drafts/:version/activate',
    {
      config: { access: { object: 'rule_set', action: 'update' } },
      schema: {
        tags: ['rules'],
        summary: 'Make a stored draft the active version',
        description:
          'The active version is retired. 404 for an unknown version, 409 for one that is not a draft.',
        params: VersionParams,
        response: { 200: RuleSet, ...problemResponses },
      },
    },
    async (request) => {
      const { kind, version } = request.params
      const active = await activateDraftRuleSet(app.services.db, kind, version, {
        actor: request.actor,
        requestId: request.id,
      })
      app.services.rules.invalidate()
      return active
    },
  )

  app.post(
    '/:kind/drafts/:version/evaluate',
    {
      config: { access: { object: 'rule_set', action: 'read' } },
      schema: {
        tags: ['rules'],
        summary: 'Evaluate a stored draft against the last days of leads',
        description: `${EVALUATE_DESCRIPTION} 404 for an unknown version.`,
        params: DecidingVersionParams,
        body: EvaluateStoredBody,
        response: { 200: DraftEvaluation, ...problemResponses },
      },
    },
    async (request) => {
      const { kind, version } = request.params
      const { days, limit, cursor } = request.body
      return evaluateDraft(app.services.db, {
        kind,
        draft: { version },
        days,
        limit,
        cursor,
        now: new Date(),
      })
    },
  )

  app.post(
    '/:kind/evaluate',
    {
      config: { access: { object: 'rule_set', action: 'read' } },
      schema: {
        tags: ['rules'],
        summary: 'Evaluate a rule set (a definition, or a stored version) against the last days of leads',
        description: `${EVALUATE_DESCRIPTION} Send \`definition\` (checked like a save: 422 with pointers) or \`version\`.`,
        params: DecidingKindParams,
        body: EvaluateBody,
        response: { 200: DraftEvaluation, ...problemResponses },
      },
    },
    async (request) => {
      const { definition, version, days, limit, cursor } = request.body
      if ((definition === undefined) === (version === undefined))
        throw new DomainRuleError('Send a definition or a stored version to evaluate, not both.', [
          { pointer: '/body/definition', message: 'send exactly one of definition and version' },
        ])
      const draft: DraftSource = version !== undefined ? { version } : { definition }
      return evaluateDraft(app.services.db, {
        kind: request.params.kind,
        draft,
        days,
        limit,
        cursor,
        now: new Date(),
      })
    },
  )
}

export default ruleSets
