/*
 * The amount in words printed on an invoice, in the Indian numbering system (CGST Rules
 * rule 46 does not require it, but Indian invoices and cheques carry it): thousand, lakh
 * (1,00,000) and crore (1,00,00,000) rather than million and billion. Beyond 99 crore the
 * count of crores is itself read in words ("One Hundred Crore").
 */

const ONES = [
  'Zero',
  'One',
  'Two',
  'Three',
  'Four',
  'Five',
  'Six',
  'Seven',
  'Eight',
  'Nine',
  'Ten',
  'Eleven',
  'Twelve',
  'Thirteen',
  'Fourteen',
  'Fifteen',
  'Sixteen',
  'Seventeen',
  'Eighteen',
  'Nineteen',
]
const TENS = ['', '', 'Twenty', 'Thirty', 'Forty', 'Fifty', 'Sixty', 'Seventy', 'Eighty', 'Ninety']

const CURRENCY_WORDS: Record<string, { major: string; minor: string }> = {
  INR: { major: 'Rupees', minor: 'Paise' },
  USD: { major: 'US Dollars', minor: 'Cents' },
  EUR: { major: 'Euros', minor: 'Cents' },
  GBP: { major: 'Pounds Sterling', minor: 'Pence' },
  AED: { major: 'UAE Dirhams', minor: 'Fils' },
  SGD: { major: 'Singapore Dollars', minor: 'Cents' },
}

function belowHundred(n: number): string {
  if (n < 20) return ONES[n]!
  const unit = n % 10
  return unit === 0 ? TENS[Math.floor(n / 10)]! : `${TENS[Math.floor(n / 10)]} ${ONES[unit]}`
}

function belowThousand(n: number): string {
  const hundreds = Math.floor(n / 100)
  const rest = n % 100
  const parts = hundreds > 0 ? [`${ONES[hundreds]} Hundred`] : []
  if (rest > 0) parts.push(belowHundred(rest))
  return parts.join(' ')
}

/**
 * A whole number in words, Indian system: 118000 is "One Lakh Eighteen Thousand",
 * 12345678 is "One Crore Twenty Three Lakh Forty Five Thousand Six Hundred Seventy Eight".
 *
 * @throws RangeError for negative or non-integer input.
 */
export function numberInIndianWords(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a whole amount: ${n}`)
  if (n === 0) return 'Zero'
  const crores = Math.floor(n / 10_000_000)
  const lakhs = Math.floor((n % 10_000_000) / 100_000)
  const thousands = Math.floor((n % 100_000) / 1000)
  const rest = n % 1000
  const parts: string[] = []
  if (crores > 0) parts.push(`${numberInIndianWords(crores)} Crore`)
  if (lakhs > 0) parts.push(`${belowHundred(lakhs)} Lakh`)
  if (thousands > 0) parts.push(`${belowHundred(thousands)} Thousand`)
  if (rest > 0) parts.push(belowThousand(rest))
  return parts.join(' ')
}

/**
 * An amount in minor units (paise) in words: 11800050 paise in INR is
 * "Rupees One Lakh Eighteen Thousand and Fifty Paise Only"; without paise,
 * "Rupees One Lakh Eighteen Thousand Only". Other currencies use their own unit names
 * (or the ISO code and "Cents").
 */
export function amountInWords(minor: number, currency = 'INR'): string {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new RangeError(`not an amount: ${minor}`)
  const names = CURRENCY_WORDS[currency] ?? { major: currency, minor: 'Cents' }
  const major = Math.floor(minor / 100)
  const fraction = minor % 100
  const head = `${names.major} ${numberInIndianWords(major)}`
  return fraction === 0 ? `${head} Only` : `${head} and ${belowHundred(fraction)} ${names.minor} Only`
}
