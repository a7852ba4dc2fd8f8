import { Type } from 'typebox'
import { ATTRIBUTION_DIMENSIONS } from '../../crm/reports/attribution.report.js'
import { OPPORTUNITY_KINDS } from '../../crm/opportunities.js'
import { FORECAST_CATEGORY_ORDER } from '../../domain/reports/pipeline-report.rules.js'
import { ROW_SCOPES } from '../../domain/security/roles.rules.js'
import { Text } from './primitives.js'

const Count = Type.Integer({ minimum: 0 })
const Rate = Type.Number({
  minimum: 0,
  maximum: 1,
  description: 'A fraction from 0 to 1 (4 decimals); 0 when nothing entered.',
})
const NullableString = Type.Union([Type.String(), Type.Null()])

const periodParams = {
  from: Type.Optional(
    Type.String({
      format: 'date',
      description: 'First day, included. Default: the first day of this quarter.',
    }),
  ),
  to: Type.Optional(
    Type.String({
      format: 'date',
      description:
        'Last day, included (at most 5 years after `from`). Default: the last day of this quarter.',
    }),
  ),
  tz: Type.Optional(
    Text(64, {
      description: 'IANA zone whose calendar days the period means; default JOURNEY_DEFAULT_TIME_ZONE.',
    }),
  ),
}

const Scope = Type.Enum([...ROW_SCOPES], {
  description:
    "Whose records the figures cover, by your role's report scope: everyone's (all), yours and those of " +
    'everyone reporting to you (team), or yours (own). Records shared with you are not counted.',
})

const Period = Type.Object(
  {
    from: Type.String({ format: 'date' }),
    to: Type.String({ format: 'date' }),
    timeZone: Type.String(),
    start: Type.String({ format: 'date-time', description: 'The first instant of `from`.' }),
    end: Type.String({ format: 'date-time', description: 'The first instant after `to` (excluded).' }),
  },
  { title: 'ReportPeriod' },
)

export const PeriodQuery = Type.Object(periodParams, { additionalProperties: false })

export const PipelineQuery = Type.Object(
  {
    ...periodParams,
    ownerId: Type.Optional(Text(200)),
    kind: Type.Optional(Type.Enum([...OPPORTUNITY_KINDS])),
  },
  { additionalProperties: false },
)

export const AttributionQuery = Type.Object(
  {
    ...periodParams,
    model: Type.Enum(['first', 'last'], {
      default: 'first',
      description: 'Credit each lead to its first touch or to its last.',
    }),
    groupBy: Type.Array(Type.Enum([...ATTRIBUTION_DIMENSIONS]), {
      minItems: 1,
      maxItems: 3,
      uniqueItems: true,
      default: [...ATTRIBUTION_DIMENSIONS],
      description: 'The touch fields rows are grouped by (repeat the parameter): default all three.',
    }),
  },
  { additionalProperties: false },
)

export const SdrPerformanceQuery = Type.Object(
  {
    ...periodParams,
    userId: Type.Optional(Text(200)),
    teamId: Type.Optional(Text(200)),
  },
  { additionalProperties: false },
)

const PipelineAmount = Type.Object({
  currency: Type.String(),
  amount: Type.Number(),
  weightedAmount: Type.Number({ description: 'Σ amount × probability / 100, rounded once to 2 decimals.' }),
})
const pipelineBucket = { count: Count, amounts: Type.Array(PipelineAmount) }

export const PipelineReport = Type.Object(
  {
    period: Period,
    scope: Scope,
    today: Type.String({ format: 'date', description: 'The day the forecast categories are derived for.' }),
    byStage: Type.Array(Type.Object({ stage: Type.String(), ...pipelineBucket })),
    byForecastCategory: Type.Array(
      Type.Object({ category: Type.Enum([...FORECAST_CATEGORY_ORDER]), ...pipelineBucket }),
    ),
    open: Type.Object(pipelineBucket, { description: 'The four open stages together.' }),
    all: Type.Object(pipelineBucket),
  },
  { title: 'PipelineReport' },
)

const FunnelCounts = Type.Object({
  captured: Count,
  contacted: Count,
  qualified: Count,
  converted: Count,
  won: Count,
})
const FunnelRates = Type.Object({
  contacted: Rate,
  qualified: Rate,
  converted: Rate,
  won: Rate,
  overall: Rate,
})
const funnel = { counts: FunnelCounts, rates: FunnelRates }

export const FunnelReport = Type.Object(
  {
    period: Period,
    scope: Scope,
    overall: Type.Object(funnel),
    bySource: Type.Array(Type.Object({ source: Type.String(), ...funnel })),
    byChannel: Type.Array(Type.Object({ channel: Type.String(), ...funnel })),
  },
  { title: 'FunnelReport' },
)

const CurrencyAmount = Type.Object({ currency: Type.String(), amount: Type.Number() })
const attributionCounts = {
  leads: Count,
  convertedLeads: Count,
  conversionRate: Rate,
  wonOpportunities: Count,
  wonAmounts: Type.Array(CurrencyAmount),
}

export const AttributionReport = Type.Object(
  {
    period: Period,
    scope: Scope,
    model: Type.Enum(['first', 'last']),
    groupBy: Type.Array(Type.Enum([...ATTRIBUTION_DIMENSIONS])),
    rows: Type.Array(
      Type.Object({
        source: Type.Optional(Type.String()),
        medium: Type.Optional(Type.String()),
        campaign: Type.Optional(NullableString),
        ...attributionCounts,
      }),
    ),
    totals: Type.Object(attributionCounts),
  },
  { title: 'AttributionReport' },
)

const NullableMinutes = Type.Union([Type.Number(), Type.Null()])

export const SdrPerformanceReport = Type.Object(
  {
    period: Period,
    scope: Scope,
    users: Type.Array(
      Type.Object({
        userId: Type.String(),
        name: Type.String(),
        role: Type.String(),
        teamId: NullableString,
        leadsAssigned: Count,
        leadsContacted: Count,
        contactRate: Rate,
        responseMinutes: Type.Object({ median: NullableMinutes, average: NullableMinutes }),
        leadsConverted: Count,
        conversionRate: Rate,
        tasksCompleted: Count,
        tasksOverdue: Count,
        activitiesLogged: Count,
      }),
    ),
  },
  { title: 'SdrPerformanceReport' },
)
