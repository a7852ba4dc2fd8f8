import {
  OPPORTUNITY_STAGES,
  forecastCategory,
  isOpenStage,
  isOpportunityStage,
  type ForecastCategory,
} from '../opportunity/pipeline.rules.js'
import { CurrencySums, divideByHundred, fromHundredths } from './money.rules.js'

/*
 * The pipeline report folds deals, pre-aggregated by the database, into stages and
 * forecast categories. The category is derived here for today with the pipeline rule
 * rather than read from the stored column, which was right on the day of the deal's last
 * write: a commit deal whose quarter ended is no longer commit, though nobody touched it.
 */

/** Deals sharing everything the forecast category depends on, summed. */
export interface PipelineGroup {
  stage: string
  probability: number
  /** 'YYYY-MM-DD'. */
  closeDate: string
  currency: string
  count: number
  /** Sum of the amounts, in hundredths. */
  amount: bigint
  /** Sum of amount × probability (percent), in hundredths: weighted amount × 100. */
  amountTimesProbability: bigint
}

export interface CurrencyAmounts {
  currency: string
  amount: number
  /** Σ amount × probability / 100, rounded to the paisa (cent) once, after summing. */
  weightedAmount: number
}

export interface PipelineBucket {
  count: number
  amounts: CurrencyAmounts[]
}

/** Categories in the order a forecast reads: what is promised first. */
export const FORECAST_CATEGORY_ORDER: readonly ForecastCategory[] = [
  'commit',
  'best_case',
  'pipeline',
  'closed',
  'omitted',
]

class Bucket {
  count = 0
  private readonly sums = new CurrencySums(['amount', 'weighted'] as const)

  add(g: PipelineGroup) {
    this.count += g.count
    this.sums.add(g.currency, { amount: g.amount, weighted: g.amountTimesProbability })
  }

  toJSON(): PipelineBucket {
    return {
      count: this.count,
      amounts: this.sums.entries().map(({ currency, sums }) => ({
        currency,
        amount: fromHundredths(sums.amount),
        weightedAmount: fromHundredths(divideByHundred(sums.weighted)),
      })),
    }
  }
}

/** The category of a group of deals on `today`; an unknown stage is omitted, as the rule says. */
export function categoryOf(g: Pick<PipelineGroup, 'stage' | 'probability' | 'closeDate'>, today: string) {
  if (!isOpportunityStage(g.stage)) return 'omitted'
  return forecastCategory({ stage: g.stage, probability: g.probability, closeDate: g.closeDate, today })
}

/**
 * Deals by stage (every pipeline stage listed, empty ones with zeros; unknown stages after
 * them) and by forecast category for `today`, plus the open deals and all deals together.
 * Counts add across currencies; amounts never do.
 */
export function summarisePipeline(groups: readonly PipelineGroup[], today: string) {
  const stages = new Map<string, Bucket>(OPPORTUNITY_STAGES.map((s) => [s, new Bucket()]))
  const categories = new Map<ForecastCategory, Bucket>(FORECAST_CATEGORY_ORDER.map((c) => [c, new Bucket()]))
  const open = new Bucket()
  const all = new Bucket()
  for (const g of [...groups].sort((a, b) => (a.stage < b.stage ? -1 : a.stage > b.stage ? 1 : 0))) {
    if (!stages.has(g.stage)) stages.set(g.stage, new Bucket())
    stages.get(g.stage)!.add(g)
    categories.get(categoryOf(g, today))!.add(g)
    if (isOpenStage(g.stage)) open.add(g)
    all.add(g)
  }
  return {
    byStage: [...stages].map(([stage, b]) => ({ stage, ...b.toJSON() })),
    byForecastCategory: [...categories].map(([category, b]) => ({ category, ...b.toJSON() })),
    open: open.toJSON(),
    all: all.toJSON(),
  }
}
