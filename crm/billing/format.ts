/*
 * Amounts as people in India read them: Indian digit grouping (₹1,18,000.00), from ICU's
 * en-IN locale. Other currencies keep their own symbol with the same grouping.
 */
const formatters = new Map<string, Intl.NumberFormat>()

/** Paise (minor units) as a printed amount: 11800050 INR → '₹1,18,000.50'. */
export function formatMoney(minor: number, currency: string): string {
  let f = formatters.get(currency)
  if (!f) {
    f = new Intl.NumberFormat('en-IN', { style: 'currency', currency, minimumFractionDigits: 2 })
    formatters.set(currency, f)
  }
  return f.format(minor / 100)
}

/** Without the currency symbol: '1,18,000.50'. */
export function formatAmount(minor: number): string {
  return new Intl.NumberFormat('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(
    minor / 100,
  )
}

/** 'YYYY-MM-DD' as printed on invoices: '24 Nov 2026'. */
export function formatDate(date: string): string {
  const [y, m, d] = date.split('-')
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
  return `${Number(d)} ${months[Number(m) - 1]} ${y}`
}
