import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { accountWhere } from '../../../security/visibility.js'
import { principalOf } from '../../plugins/auth.plugin.js'
import { listAccounts } from '../../queries/account.queries.js'
import { listLeads } from '../../queries/lead.queries.js'
import { withRowSecurity } from '../../../security/row-security.js'
import {
  AccountExportFile,
  ExportAccountsQuery,
  ExportedAccount,
  ExportLeadsQuery,
  LeadExportFile,
  MAX_EXPORT_ROWS,
} from '../../schemas/export.schema.js'
import { LeadSummary } from '../../schemas/lead.schema.js'
import { problemResponses } from '../../schemas/problem.schema.js'
import { sendExport } from './export-file.js'

const tags = ['exports']

/** An account's columns: every field of the list but the health factors (a nested list). */
const ACCOUNT_COLUMNS = Object.keys(ExportedAccount.properties)
const LEAD_COLUMNS = Object.keys(LeadSummary.properties)

const common =
  'The rows the list endpoint would return for the same filters and caller (their row scope and shares), ' +
  `in one file: at most ${MAX_EXPORT_ROWS} rows (more is a 422: narrow the filters). Fields the caller's role ` +
  'hides are blank (CSV) or null (JSON). Each export is recorded in the audit trail (entity export, id in the ' +
  'x-export-id header) with its filters, row count and fields.'

/**
 * Exports of leads and accounts (CSV or JSON), for the roles with the export permission on
 * the object. The list queries do the filtering and the row-level access, so an export
 * shows exactly what paging through the list would.
 */
const exportsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.services.db

  app.get(
    '/leads',
    {
      config: { access: { object: 'lead', action: 'export' } },
      schema: {
        tags,
        summary: 'Export leads (CSV or JSON)',
        description: `${common} Oldest first; filters as GET /v1/leads.`,
        querystring: ExportLeadsQuery,
        response: { 200: LeadExportFile, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { format, ...filters } = request.query
      const principal = principalOf(request)
      return sendExport(db, request, reply, {
        object: 'lead',
        format,
        filters,
        columns: LEAD_COLUMNS,
        page: (cursor, limit) =>
          withRowSecurity(db, principal, (tx) =>
            listLeads(tx, principal, { ...filters, sort: 'createdAt', limit, cursor }),
          ),
      })
    },
  )

  app.get(
    '/accounts',
    {
      config: { access: { object: 'account', action: 'export' } },
      schema: {
        tags,
        summary: 'Export accounts (CSV or JSON)',
        description: `${common} By name; filters as GET /v1/accounts.`,
        querystring: ExportAccountsQuery,
        response: { 200: AccountExportFile, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { format, ...filters } = request.query
      const principal = principalOf(request)
      const visible = await accountWhere(principal)
      return sendExport(db, request, reply, {
        object: 'account',
        format,
        filters,
        columns: ACCOUNT_COLUMNS,
        page: (cursor, limit) =>
          withRowSecurity(db, principal, (tx) => listAccounts(tx, { ...filters, limit, cursor }, visible)),
      })
    },
  )
}

export default exportsRoutes
