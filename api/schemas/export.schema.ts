import { Type, type Static, type TSchema } from 'typebox'
import { Account, ListAccountsQuery } from './account.schema.js'
import { LeadSummary, ListLeadsQuery } from './lead.schema.js'

/*
 * Exports: every lead or account a list would show, in one file (CSV or JSON), instead of
 * page by page. The filters are the list's own; sort and paging are the export's business.
 */

export const MAX_EXPORT_ROWS = 100_000

const Format = Type.Enum(['csv', 'json'], {
  default: 'csv',
  description:
    'csv: a header row, then one row per record (hidden fields blank; cells that a spreadsheet would read as ' +
    "a formula start with '). json: an array of records (hidden fields null).",
})

export const ExportLeadsQuery = Type.Object(
  { format: Format, ...Type.Omit(ListLeadsQuery, ['sort', 'limit', 'cursor']).properties },
  { additionalProperties: false },
)
export type ExportLeadsQuery = Static<typeof ExportLeadsQuery>

export const ExportAccountsQuery = Type.Object(
  { format: Format, ...Type.Omit(ListAccountsQuery, ['limit', 'cursor']).properties },
  { additionalProperties: false },
)
export type ExportAccountsQuery = Static<typeof ExportAccountsQuery>

/** A 200 that is a file: CSV text or a JSON array of `item`. */
const exportFile = <T extends TSchema>(item: T, what: string) => ({
  description:
    `The ${what} as an attachment. Rows are the ones the caller may see, at most ${MAX_EXPORT_ROWS} ` +
    '(more is a 422: narrow the filters). x-export-id names the audit entry recording the export.',
  content: {
    'text/csv': { schema: Type.String() },
    'application/json': { schema: Type.Array(item) },
  },
})

export const LeadExportFile = exportFile(LeadSummary, 'leads')
/** An exported account: the account without its health factors (a nested list a file row cannot hold). */
export const ExportedAccount = Type.Omit(Account, ['healthFactors'], { title: 'ExportedAccount' })
export const AccountExportFile = exportFile(ExportedAccount, 'accounts')
