/*
 * The reports the dashboards draw, typed from api/schemas/report.schema.ts. Rates are
 * fractions from 0 to 1; amounts are per currency, never summed across currencies.
 */

export type Scope = 'all' | 'team' | 'own'

export interface ReportPeriod {
  from: string
  to: string
  timeZone: string
  start: string
  end: string
}

interface Report {
  period: ReportPeriod
  scope: Scope
}

export const FUNNEL_STAGES = ['captured', 'contacted', 'qualified', 'converted', 'won'] as const
export type FunnelStage = (typeof FUNNEL_STAGES)[number]

export interface Funnel {
  counts: Record<FunnelStage, number>
  rates: Record<Exclude<FunnelStage, 'captured'> | 'overall', number>
}

export interface FunnelReport extends Report {
  overall: Funnel
  bySource: (Funnel & { source: string })[]
  byChannel: (Funnel & { channel: string })[]
}

export interface CurrencyAmount {
  currency: string
  amount: number
}

export const ATTRIBUTION_DIMENSIONS = ['source', 'medium', 'campaign'] as const
export type AttributionDimension = (typeof ATTRIBUTION_DIMENSIONS)[number]

export interface AttributionCounts {
  leads: number
  convertedLeads: number
  conversionRate: number
  wonOpportunities: number
  wonAmounts: CurrencyAmount[]
}

export interface AttributionReport extends Report {
  model: 'first' | 'last'
  groupBy: AttributionDimension[]
  rows: (AttributionCounts & { source?: string; medium?: string; campaign?: string | null })[]
  totals: AttributionCounts
}

export interface SdrRow {
  userId: string
  name: string
  role: string
  teamId: string | null
  leadsAssigned: number
  leadsContacted: number
  contactRate: number
  responseMinutes: { median: number | null; average: number | null }
  leadsConverted: number
  conversionRate: number
  tasksCompleted: number
  tasksOverdue: number
  activitiesLogged: number
}

export interface SdrPerformanceReport extends Report {
  users: SdrRow[]
}

export const FORECAST_CATEGORIES = ['commit', 'best_case', 'pipeline', 'closed', 'omitted'] as const
export type ForecastCategory = (typeof FORECAST_CATEGORIES)[number]

export interface PipelineAmount extends CurrencyAmount {
  weightedAmount: number
}

export interface PipelineBucket {
  count: number
  amounts: PipelineAmount[]
}

export interface PipelineReport extends Report {
  today: string
  byStage: (PipelineBucket & { stage: string })[]
  byForecastCategory: (PipelineBucket & { category: ForecastCategory })[]
  open: PipelineBucket
  all: PipelineBucket
}
