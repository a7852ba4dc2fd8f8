import { formatDocumentNumber } from '../../domain/billing/document-number.rules.js'
import { financialYearOf } from '../../domain/billing/financial-year.rules.js'
import { indiaDate } from '../../domain/renewal/renewal-schedule.rules.js'
import type { Tx } from '../../platform/database/prisma.js'

/*
 * Gapless document numbers per series and financial year ('TKT', 'CTR'), in the invoices'
 * format (TKT/26-27/000001). The upsert takes the sequence row's lock until the caller's
 * transaction ends: concurrent creators queue behind it, and a rolled-back write rolls its
 * number back with it, so no number is skipped or given twice. The year turns at midnight
 * India time.
 */

export interface DocumentNumber {
  number: string
  financialYear: string
}

/** The next number of `series` for the financial year `at` falls in, inside the caller's transaction. */
export async function nextDocumentNumber(tx: Tx, series: string, at: Date): Promise<DocumentNumber> {
  const financialYear = financialYearOf(indiaDate(at.getTime()))
  const [row] = await tx.$queryRaw<{ value: number }[]>`
    INSERT INTO document_sequence (series, financial_year, last_value) VALUES (${series}, ${financialYear}, 1)
    ON CONFLICT (series, financial_year) DO UPDATE SET last_value = document_sequence.last_value + 1
    RETURNING last_value AS value`
  return { number: formatDocumentNumber(series, financialYear, row!.value), financialYear }
}
