import { formatMoney } from '../../ui/format'
import type { CurrencyAmount } from './report.types'

/** Amounts in several currencies, each on its own, never added up: "₹5,00,000 · $8,000". */
export const formatAmounts = (amounts: readonly CurrencyAmount[]): string =>
  amounts.length === 0 ? '—' : amounts.map((a) => formatMoney(a.amount, a.currency)).join(' · ')
