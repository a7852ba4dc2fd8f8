import { describe, expect, it } from 'vitest'
import { funnelRates } from '../../../domain/reports/funnel.rules.js'
import {
  CurrencySums,
  divideByHundred,
  fromHundredths,
  toHundredths,
} from '../../../domain/reports/money.rules.js'
import {
  categoryOf,
  summarisePipeline,
  type PipelineGroup,
} from '../../../domain/reports/pipeline-report.rules.js'
import { rate, roundedMinutes } from '../../../domain/reports/rate.rules.js'

describe('money in hundredths', () => {
  it('reads PostgreSQL decimals exactly', () => {
    expect(toHundredths('1234.56')).toBe(123456n)
    expect(toHundredths('1234.5')).toBe(123450n)
    expect(toHundredths('1234')).toBe(123400n)
    expect(toHundredths('-0.01')).toBe(-1n)
    expect(toHundredths('90071992547409.91')).toBe(9007199254740991n)
    for (const bad of ['', '1.234', '1e3', 'abc', '1.']) expect(() => toHundredths(bad)).toThrow(RangeError)
  })

  it('rounds amount × percent half away from zero', () => {
    expect(divideByHundred(12345n)).toBe(123n) // 123.45 → 123
    expect(divideByHundred(12350n)).toBe(124n)
    expect(divideByHundred(-12350n)).toBe(-124n)
    expect(fromHundredths(123456n)).toBe(1234.56)
  })

  it('keeps currencies apart, listed alphabetically', () => {
    const sums = new CurrencySums(['amount'] as const)
    sums.add('USD', { amount: 100n })
    sums.add('INR', { amount: 250n })
    sums.add('USD', { amount: 5n })
    expect(sums.entries()).toEqual([
      { currency: 'INR', sums: { amount: 250n } },
      { currency: 'USD', sums: { amount: 105n } },
    ])
  })

  it('adds a tenth and a fifth without floating-point drift', () => {
    const sums = new CurrencySums(['amount'] as const)
    for (let i = 0; i < 10; i++) sums.add('INR', { amount: toHundredths('0.10') })
    sums.add('INR', { amount: toHundredths('0.20') })
    expect(fromHundredths(sums.entries()[0]!.sums.amount)).toBe(1.2)
  })
})

describe('rates', () => {
  it('are fractions with four decimals, and 0 over nothing', () => {
    expect(rate(1, 3)).toBe(0.3333)
    expect(rate(2, 3)).toBe(0.6667)
    expect(rate(0, 0)).toBe(0)
    expect(rate(5, 5)).toBe(1)
    expect(roundedMinutes(12.345678)).toBe(12.35)
    expect(roundedMinutes(null)).toBeNull()
  })

  it('funnel rates divide each stage by the one before', () => {
    expect(funnelRates({ captured: 10, contacted: 8, qualified: 4, converted: 2, won: 1 })).toEqual({
      contacted: 0.8,
      qualified: 0.5,
      converted: 0.5,
      won: 0.5,
      overall: 0.1,
    })
    expect(funnelRates({ captured: 0, contacted: 0, qualified: 0, converted: 0, won: 0 })).toEqual({
      contacted: 0,
      qualified: 0,
      converted: 0,
      won: 0,
      overall: 0,
    })
  })
})

describe('summarisePipeline', () => {
  const today = '2026-05-17'
  const group = (g: Partial<PipelineGroup>): PipelineGroup => ({
    stage: 'negotiation',
    probability: 75,
    closeDate: '2026-06-30',
    currency: 'INR',
    count: 1,
    amount: 100_000n,
    amountTimesProbability: 7_500_000n,
    ...g,
  })

  it('derives each group’s category for today, not from a stored value', () => {
    expect(categoryOf(group({}), today)).toBe('commit')
    expect(categoryOf(group({ closeDate: '2026-07-01' }), today)).toBe('best_case') // next quarter
    expect(categoryOf(group({ closeDate: '2026-05-16' }), today)).toBe('pipeline') // slipped
    expect(categoryOf(group({ stage: 'closed_won', probability: 100 }), today)).toBe('closed')
    expect(categoryOf(group({ stage: 'closed_lost', probability: 0 }), today)).toBe('omitted')
    expect(categoryOf(group({ stage: 'mystery' }), today)).toBe('omitted')
    // The same deal on the first day of the next quarter is no longer a commitment.
    expect(categoryOf(group({}), '2026-07-01')).toBe('pipeline')
  })

  it('lists every stage and category, sums per currency and weights once after summing', () => {
    const report = summarisePipeline(
      [
        group({ count: 2, amount: 200_000n, amountTimesProbability: 15_000_000n }), // 2 × ₹1,000 at 75 %
        group({ currency: 'USD', amount: 50_000n, amountTimesProbability: 3_750_000n }),
        group({ stage: 'qualification', probability: 10, amount: 3_33n, amountTimesProbability: 33_30n }),
        group({ stage: 'qualification', probability: 10, amount: 3_33n, amountTimesProbability: 33_30n }),
        group({ stage: 'closed_won', probability: 100, amount: 10_000n, amountTimesProbability: 1_000_000n }),
      ],
      today,
    )
    expect(report.byStage.map((s) => s.stage)).toEqual([
      'qualification',
      'needs_analysis',
      'proposal',
      'negotiation',
      'closed_won',
      'closed_lost',
    ])
    expect(report.byStage[0]).toEqual({
      stage: 'qualification',
      count: 2,
      // 2 × 3.33 at 10 %: 0.666 rounds to 0.67 once, not 0.33 + 0.33.
      amounts: [{ currency: 'INR', amount: 6.66, weightedAmount: 0.67 }],
    })
    expect(report.byStage[1]).toEqual({ stage: 'needs_analysis', count: 0, amounts: [] })
    expect(report.byStage[3]).toEqual({
      stage: 'negotiation',
      count: 3,
      amounts: [
        { currency: 'INR', amount: 2000, weightedAmount: 1500 },
        { currency: 'USD', amount: 500, weightedAmount: 375 },
      ],
    })
    expect(report.byForecastCategory.map((c) => [c.category, c.count])).toEqual([
      ['commit', 3],
      ['best_case', 0],
      ['pipeline', 2],
      ['closed', 1],
      ['omitted', 0],
    ])
    expect(report.open).toEqual({
      count: 5,
      amounts: [
        { currency: 'INR', amount: 2006.66, weightedAmount: 1500.67 },
        { currency: 'USD', amount: 500, weightedAmount: 375 },
      ],
    })
    expect(report.all.count).toBe(6)
    expect(report.all.amounts[0]).toEqual({ currency: 'INR', amount: 2106.66, weightedAmount: 1600.67 })
  })

  it('lists an unknown stage after the pipeline’s own, as omitted', () => {
    const report = summarisePipeline([group({ stage: 'legacy' })], today)
    expect(report.byStage.at(-1)).toMatchObject({ stage: 'legacy', count: 1 })
    expect(report.byForecastCategory.find((c) => c.category === 'omitted')?.count).toBe(1)
    expect(report.open.count).toBe(0)
  })

  it('is all zeros for no deals', () => {
    const report = summarisePipeline([], today)
    expect(report.byStage.every((s) => s.count === 0 && s.amounts.length === 0)).toBe(true)
    expect(report.all).toEqual({ count: 0, amounts: [] })
  })
})
