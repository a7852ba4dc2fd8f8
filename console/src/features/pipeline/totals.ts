import { formatMoney } from '../../ui/format'
import type { Opportunity } from './pipeline.types'

export interface CurrencyTotal {
  currency: string
  amount: number
}

/**
 * A column's amounts summed per currency (never across currencies), largest first. Deals
 * whose amount the role may not see (null) are left out.
 */
export function totalsByCurrency(deals: readonly Opportunity[]): CurrencyTotal[] {
  const sums = new Map<string, number>()
  for (const d of deals) if (d.amount !== null) sums.set(d.currency, (sums.get(d.currency) ?? 0) + d.amount)
  return [...sums]
    .map(([currency, amount]) => ({ currency, amount: Math.round(amount * 100) / 100 }))
    .sort((a, b) => b.amount - a.amount || a.currency.localeCompare(b.currency))
}

export const formatTotals = (totals: readonly CurrencyTotal[]): string =>
  totals.map((t) => formatMoney(t.amount, t.currency)).join(' · ')

export const dealCount = (n: number): string => (n === 1 ? '1 deal' : `${n} deals`)
