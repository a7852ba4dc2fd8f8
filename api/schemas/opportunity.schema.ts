import { Type, type Static } from 'typebox'
import { OPPORTUNITY_KINDS } from '../../crm/opportunities.js'
import { MAX_OPPORTUNITY_AMOUNT, OPPORTUNITY_STAGES } from '../../domain/opportunity/pipeline.rules.js'
import { Nullable, Text } from './primitives.js'

const OPEN_STAGES = ['qualification', 'needs_analysis', 'proposal', 'negotiation'] as const
const FORECAST_CATEGORIES = ['pipeline', 'best_case', 'commit', 'closed', 'omitted'] as const

const Id = Type.String({ format: 'uuid' })
const NullableId = Type.Union([Id, Type.Null()])
const NullableString = Type.Union([Type.String(), Type.Null()])
const NullableTime = Type.Union([Type.String({ format: 'date-time' }), Type.Null()])
const CalendarDate = Type.String({ format: 'date', description: "'YYYY-MM-DD'." })
/** A filter date: year 0000 passes `format: 'date'`, but PostgreSQL refuses it (a 500). */
const FilterDate = Type.String({ format: 'date', pattern: '^(?!0000)', description: "'YYYY-MM-DD'." })
const Amount = Type.Number({
  minimum: 0,
  maximum: MAX_OPPORTUNITY_AMOUNT,
  description: 'At most 2 decimals.',
})
const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, e.g. INR.' })
const Probability = Type.Integer({ minimum: 0, maximum: 100, description: 'Win probability, percent.' })
const UserId = Text(200, { description: 'An app user id.' })
const Reason = Text(500)

const opportunityFields = {
  id: Id,
  accountId: Id,
  contactId: NullableId,
  leadId: NullableId,
  name: Type.String(),
  kind: Type.Enum([...OPPORTUNITY_KINDS]),
  renewalOfContractId: NullableId,
  amount: Type.Union([Type.Number(), Type.Null()], {
    description: "Null when the caller's role may not see it (the role's field rules hide it).",
  }),
  currency: Type.String(),
  stage: Type.Enum([...OPPORTUNITY_STAGES]),
  open: Type.Boolean({ description: 'False once won or lost.' }),
  probability: Type.Integer(),
  forecastCategory: Type.Enum([...FORECAST_CATEGORIES], {
    description:
      'Derived from stage, probability and close date as of today: commit (≥ 75% closing this quarter), best_case ' +
      '(≥ 50%), pipeline (the rest, and open deals whose close date has passed), closed (won), omitted (lost).',
  }),
  closeDate: CalendarDate,
  ownerId: NullableString,
  wonAt: NullableTime,
  lostAt: NullableTime,
  wonReason: NullableString,
  lostReason: NullableString,
  lostToCompetitor: NullableString,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  createdBy: Type.String(),
  updatedBy: Type.String(),
}

export const Opportunity = Type.Object(opportunityFields, { title: 'Opportunity' })

export const StageChange = Type.Object(
  {
    fromStage: Type.Union([Type.Enum([...OPPORTUNITY_STAGES]), Type.Null()]),
    toStage: Type.Enum([...OPPORTUNITY_STAGES]),
    probability: Type.Integer(),
    at: Type.String({ format: 'date-time' }),
    by: Type.String(),
  },
  { title: 'OpportunityStageChange' },
)

export const OpportunityDetail = Type.Object(
  {
    ...opportunityFields,
    storedForecastCategory: Type.Enum([...FORECAST_CATEGORIES], {
      description: 'The category stored at the last write (what forecastCategory was then).',
    }),
    stageHistory: Type.Array(StageChange, { description: 'Oldest first.' }),
  },
  { title: 'OpportunityDetail' },
)

export const OpportunityPage = Type.Object(
  { items: Type.Array(Opportunity), nextCursor: NullableString },
  { title: 'OpportunityPage' },
)

export const OpportunityParams = Type.Object({ id: Id })

export const CreateOpportunityBody = Type.Object(
  {
    accountId: Id,
    contactId: Type.Optional(Nullable(Id)),
    kind: Type.Optional(
      Type.Enum([...OPPORTUNITY_KINDS], {
        description:
          'Default new_business. upsell and cross_sell need a customer account (one with a won deal).',
      }),
    ),
    name: Text(200),
    amount: Amount,
    currency: Type.Optional(Currency),
    stage: Type.Optional(Type.Enum([...OPEN_STAGES], { description: 'Default qualification.' })),
    probability: Type.Optional(Probability),
    closeDate: CalendarDate,
    ownerId: Type.Optional(Nullable(UserId)),
  },
  { additionalProperties: false, title: 'CreateOpportunity' },
)
export type CreateOpportunityBody = Static<typeof CreateOpportunityBody>

export const UpdateOpportunityBody = Type.Object(
  {
    name: Type.Optional(Text(200)),
    amount: Type.Optional(Amount),
    currency: Type.Optional(Currency),
    closeDate: Type.Optional(CalendarDate),
    probability: Type.Optional(Probability),
    ownerId: Type.Optional(Nullable(UserId)),
    contactId: Type.Optional(Nullable(Id)),
  },
  { additionalProperties: false, minProperties: 1, title: 'UpdateOpportunity' },
)

export const MoveStageBody = Type.Object(
  {
    stage: Type.Enum([...OPEN_STAGES], { description: 'An open stage; close a deal with win or lose.' }),
    probability: Type.Optional(Probability),
    note: Type.Optional(Text(2000)),
  },
  { additionalProperties: false, title: 'MoveOpportunityStage' },
)

export const WinBody = Type.Object(
  {
    reason: Reason,
    closeDate: Type.Optional({ ...CalendarDate, description: 'The day it was won; default today.' }),
  },
  { additionalProperties: false, title: 'WinOpportunity' },
)

export const LoseBody = Type.Object(
  {
    reason: Reason,
    competitor: Type.Optional(Text(200)),
    closeDate: Type.Optional({ ...CalendarDate, description: 'The day it was lost; default today.' }),
  },
  { additionalProperties: false, title: 'LoseOpportunity' },
)

export const ListOpportunitiesQuery = Type.Object(
  {
    accountId: Type.Optional(Id),
    ownerId: Type.Optional(UserId),
    stage: Type.Optional(Type.Enum([...OPPORTUNITY_STAGES])),
    kind: Type.Optional(Type.Enum([...OPPORTUNITY_KINDS])),
    forecastCategory: Type.Optional(
      Type.Enum([...FORECAST_CATEGORIES], { description: 'The category as of today.' }),
    ),
    open: Type.Optional(Type.Boolean({ description: 'true: open deals only; false: won or lost only.' })),
    closeDateFrom: Type.Optional(FilterDate),
    closeDateTo: Type.Optional(FilterDate),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page.' })),
  },
  { additionalProperties: false },
)
export type ListOpportunitiesQuery = Static<typeof ListOpportunitiesQuery>
