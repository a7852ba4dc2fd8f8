import { Type } from 'typebox'
import { RULE_SET_KINDS } from '../../ingestion/rules/rule-sets.js'
import { EVALUATION_MAX_DAYS } from '../../ingestion/rules/evaluate-draft.js'

export const KindParams = Type.Object({ kind: Type.Enum([...RULE_SET_KINDS]) })
/** A stored version number: rule_set.version is a PostgreSQL integer. */
const StoredVersion = (description?: string) =>
  Type.Integer({ minimum: 1, maximum: 2_147_483_647, ...(description ? { description } : {}) })
/** The kinds that make per-lead decisions, and so can be evaluated against past leads. */
export const DecidingKindParams = Type.Object({ kind: Type.Enum(['scoring', 'assignment']) })
export const VersionParams = Type.Object({
  kind: Type.Enum([...RULE_SET_KINDS]),
  version: StoredVersion(),
})
export const DecidingVersionParams = Type.Object({
  kind: Type.Enum(['scoring', 'assignment']),
  version: StoredVersion(),
})

export const Definition = Type.Record(Type.String(), Type.Unknown())
export const DefinitionBody = Type.Object({ definition: Definition }, { additionalProperties: false })

export const RuleSet = Type.Object(
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

export const RuleSetVersion = Type.Object(
  {
    kind: Type.Enum([...RULE_SET_KINDS]),
    version: Type.Integer(),
    status: Type.String({ description: 'draft, active or retired.' }),
    definition: Type.Unknown(),
    createdAt: Type.String({ format: 'date-time' }),
    createdBy: Type.String(),
    activatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { title: 'RuleSetVersion' },
)

const EvaluationWindow = {
  days: Type.Integer({
    minimum: 1,
    maximum: EVALUATION_MAX_DAYS,
    default: 7,
    description: 'Evaluate against the leads created in the last this many days.',
  }),
  limit: Type.Integer({
    minimum: 1,
    maximum: 1000,
    default: 100,
    description: 'At most this many changed leads in the answer (the totals count them all).',
  }),
  cursor: Type.Optional(
    Type.String({
      maxLength: 200,
      description: 'The previous answer’s nextCursor; omit for the first page.',
    }),
  ),
}

export const EvaluateStoredBody = Type.Object(EvaluationWindow, { additionalProperties: false })
export const EvaluateBody = Type.Object(
  {
    ...EvaluationWindow,
    definition: Type.Optional(Definition),
    version: Type.Optional(StoredVersion('A stored version, instead of a definition.')),
  },
  { additionalProperties: false },
)

const PathStep = Type.Object({ ruleId: Type.String(), matched: Type.Boolean(), why: Type.String() })
const LeadSide = Type.Object({
  score: Type.Integer(),
  band: Type.Enum(['cold', 'warm', 'hot']),
  scoreRules: Type.Array(Type.String(), { description: 'The scoring rules that gave points.' }),
  placement: Type.Union([
    Type.Object({
      ownerId: Type.Union([Type.String(), Type.Null()]),
      queue: Type.Union([Type.String(), Type.Null()]),
      ruleId: Type.Union([Type.String(), Type.Null()]),
      path: Type.Array(PathStep, { description: 'Every assignment rule tried, up to the one that decided.' }),
    }),
    Type.Null(),
  ]),
})

export const DraftEvaluation = Type.Object(
  {
    kind: Type.Enum(['scoring', 'assignment']),
    version: Type.Union([Type.Integer(), Type.Null()], { description: 'Null for an inline definition.' }),
    window: Type.Object({
      days: Type.Integer(),
      from: Type.String({ format: 'date-time' }),
      to: Type.String({ format: 'date-time' }),
    }),
    assumptions: Type.Array(Type.String()),
    totals: Type.Object({
      evaluated: Type.Integer(),
      changed: Type.Integer(),
      bandChanged: Type.Integer(),
      ownerChanged: Type.Integer(),
      notEvaluated: Type.Integer({
        description: 'Leads with no stored inputs to re-run (erased, or older).',
      }),
    }),
    items: Type.Array(
      Type.Object({
        leadId: Type.String(),
        current: LeadSide,
        draft: LeadSide,
        changed: Type.Array(Type.Enum(['band', 'owner'])),
      }),
    ),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
  },
  { title: 'DraftEvaluation' },
)
