import { formatDocumentNumber } from '../domain/billing/document-number.rules.js'
import { financialYearOf } from '../domain/billing/financial-year.rules.js'
import { indiaDate } from '../domain/time/india-date.rules.js'
import type { Tx } from '../platform/database/prisma.js'

/*
 * Gapless document numbers for orders (SO), invoices (INV), tickets (TKT) and contracts (CTR). The counter row of (series, financial year) is bumped inside
 * the caller's transaction: the row stays locked until that transaction ends, so concurrent
 * documents queue for it and get consecutive values, and a transaction that rolls back
 * takes its bump with it, leaving no gap (a PostgreSQL SEQUENCE would skip the value).
 * Invoices must be numbered consecutively (CGST Rules 2017, rule 46(b)).
 */

/** The next number of `series` in `financialYear` ('2026-27'), e.g. INV/26-27/000042. */
export async function nextDocumentNumber(
  tx: Tx,
  series: string,
  financialYear: string,
): Promise<{ number: string; value: number }> {
  const [row] = await tx.$queryRaw<{ last_value: number }[]>`
    INSERT INTO document_sequence (series, financial_year, last_value)
    VALUES (${series}, ${financialYear}, 1)
    ON CONFLICT (series, financial_year)
      DO UPDATE SET last_value = document_sequence.last_value + 1
    RETURNING last_value`
  const value = Number(row!.last_value)
  return { number: formatDocumentNumber(series, financialYear, value), value }
}

/** The next number of `series` in the financial year (India time) the instant `at` falls in. */
export async function nextDocumentNumberAt(tx: Tx, series: string, at: Date) {
  return nextDocumentNumber(tx, series, financialYearOf(indiaDate(at.getTime())))
}
