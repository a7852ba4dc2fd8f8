import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { activateRuleSet, readActiveRuleSet, RULE_SET_KINDS } from '../../../ingestion/rules/rule-sets.js'
import { problemResponses } from '../../schemas/problem.schema.js'

const KindParams = Type.Object({ kind: Type.Enum([...RULE_SET_KINDS]) })
const RuleSet = Type.Object(
  {
    kind: Type.Enum([...RULE_SET_KINDS]),
    version: Type.Integer({ description: '0: no version saved yet, the built-in defaults apply.' }),
    source: Type.Enum(['stored', 'default']),
    definition: Type.Unknown(),
    activatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    createdBy: Type.Union([Type.String(), Type.Null()]),
  },
  { title: 'RuleSet' },
)

/** Scoring, assignment and journey rules as versioned data. */
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
        body: Type.Object(
          { definition: Type.Record(Type.String(), Type.Unknown()) },
          { additionalProperties: false },
        ),
        response: { 201: RuleSet, ...problemResponses },
      },
    },
    async (request, reply) => {
      const saved = await activateRuleSet(
        app.services.db,
        request.params.kind,
        request.body.definition,
        request.actor,
      )
      app.services.rules.invalidate()
      return reply.code(201).send(saved)
    },
  )
}

export default ruleSets
