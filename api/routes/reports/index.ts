import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { attributionReport } from '../../../crm/reports/attribution.report.js'
import { funnelReport } from '../../../crm/reports/funnel.report.js'
import { pipelineReport } from '../../../crm/reports/pipeline.report.js'
import { reportWindow, type ReportWindow } from '../../../crm/reports/report-window.js'
import { sdrPerformanceReport } from '../../../crm/reports/sdr-performance.report.js'
import { assertOwnerInReach, reportScope } from '../../../security/visibility.js'
import { principalOf } from '../../plugins/auth.plugin.js'
import { problemResponses } from '../../schemas/problem.schema.js'
import {
  AttributionQuery,
  AttributionReport,
  FunnelReport,
  PeriodQuery,
  PipelineQuery,
  PipelineReport,
  SdrPerformanceQuery,
  SdrPerformanceReport,
} from '../../schemas/report.schema.js'

const PERIOD =
  'Period: `from` and `to` are calendar days in `tz` (default the configured zone), both included; default the ' +
  'current calendar quarter; `from` after `to` or more than 5 years apart is a 400. Amounts are summed per ' +
  'currency, never across currencies. Rates are fractions from 0 to 1, and 0 when nothing entered the stage. '

const SCOPE =
  "Figures cover the records your role's report scope reaches (`scope` says which): everyone's, your team's " +
  '(yours and those of everyone reporting to you) or your own; naming a person outside it is a 403.'

const COHORT =
  'The cohort is the master leads created in the period (a duplicate capture is the same person and is counted ' +
  'once, with its master); what became of them is counted as of now. '

const period = (w: ReportWindow) => ({
  from: w.from,
  to: w.to,
  timeZone: w.timeZone,
  start: w.start.toISOString(),
  end: w.end.toISOString(),
})

/**
 * Read-only reports: aggregate SQL over the CRM tables, folded by the pure rules in
 * domain/reports, over the owners the caller's report scope reaches.
 */
const reports: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.services
  const windowOf = (q: { from?: string; to?: string; tz?: string }, now: Date) =>
    reportWindow(q, config.JOURNEY_DEFAULT_TIME_ZONE, now)

  app.get(
    '/pipeline',
    {
      config: { access: { object: 'report', action: 'read' } },
      schema: {
        tags: ['reports'],
        summary: 'Pipeline by stage and forecast category',
        description:
          'Opportunities whose close date falls in the period (open and closed), optionally of one owner and kind. ' +
          'Per stage and per forecast category: count, amount and weighted amount (Σ amount × probability / 100). ' +
          'The forecast category is derived for today with the pipeline rule (closed_won: closed; closed_lost: ' +
          'omitted; open with a slipped close date: pipeline; probability ≥ 75 closing this calendar quarter: ' +
          'commit; probability ≥ 50: best_case; else pipeline), not read from the stored column. `open` sums the ' +
          'four open stages. ' +
          PERIOD +
          SCOPE,
        querystring: PipelineQuery,
        response: { 200: PipelineReport, ...problemResponses },
      },
    },
    async (request) => {
      const p = principalOf(request)
      const { ownerId, kind, ...q } = request.query
      const w = windowOf(q, new Date())
      if (ownerId) await assertOwnerInReach(p, 'report', ownerId)
      return {
        period: period(w),
        scope: reportScope(p),
        ...(await pipelineReport(db, p, w, { ownerId, kind })),
      }
    },
  )

  app.get(
    '/funnel',
    {
      config: { access: { object: 'report', action: 'read' } },
      schema: {
        tags: ['reports'],
        summary: 'Lead funnel by stage, overall, by source and by channel',
        description:
          COHORT +
          'Stages are cumulative: captured (every cohort lead); contacted (first contact recorded, or status ' +
          'contacted, qualified or converted); qualified (status qualified or converted); converted (a conversion ' +
          'recorded); won (converted and its opportunity is closed_won). A lead disqualified after qualification ' +
          'counts as contacted only. Rates: each stage over the one before (contacted/captured, qualified/contacted, ' +
          'converted/qualified, won/converted) and overall = won/captured. `bySource` groups by the first-touch ' +
          "source (the touch ledger of the lead and its duplicates; '(unattributed)' without touches), `byChannel` " +
          'by the capture channel. ' +
          PERIOD +
          SCOPE,
        querystring: PeriodQuery,
        response: { 200: FunnelReport, ...problemResponses },
      },
    },
    async (request) => {
      const p = principalOf(request)
      const w = windowOf(request.query, new Date())
      return { period: period(w), scope: reportScope(p), ...(await funnelReport(db, p, w)) }
    },
  )

  app.get(
    '/attribution',
    {
      config: { access: { object: 'report', action: 'read' } },
      schema: {
        tags: ['reports'],
        summary: 'Leads, conversions and won revenue by source, medium and campaign',
        description:
          COHORT +
          'Each lead is credited wholly to one touch from the touch ledger of the lead and its duplicates: the ' +
          'earliest (`model=first`, the default) or the latest (`model=last`). Rows group by the `groupBy` fields ' +
          "(default source, medium and campaign; '(unattributed)' for leads without touches, campaign null when " +
          'the touch had none): leads, converted leads (a conversion recorded), conversion rate (converted/leads), ' +
          "won opportunities (the lead's own opportunity is closed_won) and their amount per currency. " +
          PERIOD +
          SCOPE,
        querystring: AttributionQuery,
        response: { 200: AttributionReport, ...problemResponses },
      },
    },
    async (request) => {
      const p = principalOf(request)
      const { model, groupBy, ...q } = request.query
      const w = windowOf(q, new Date())
      return {
        period: period(w),
        scope: reportScope(p),
        ...(await attributionReport(db, p, w, model, groupBy)),
      }
    },
  )

  app.get(
    '/sdr-performance',
    {
      config: { access: { object: 'report', action: 'read' } },
      schema: {
        tags: ['reports'],
        summary: 'Per-user SDR performance: response time, conversion, tasks, activities',
        description:
          'One row per user (optionally one user or one team). leadsAssigned: master leads they own whose ' +
          'assignment time (assigned_at, else created_at) is in the period. leadsContacted: of those, the ones with ' +
          'a first contact (contacted_at); contactRate = contacted/assigned. responseMinutes: median and average of ' +
          'contacted_at − assignment time over the contacted ones, in minutes (0 when contact came first; null ' +
          'when none was contacted). leadsConverted: of the assigned, those converted; conversionRate = ' +
          'converted/assigned. tasksCompleted: tasks assigned to them completed in the period. tasksOverdue: their ' +
          'open tasks past due now (snoozed ones included). activitiesLogged: timeline entries they recorded ' +
          '(actor `user:<id>`) in the period. ' +
          PERIOD +
          SCOPE,
        querystring: SdrPerformanceQuery,
        response: { 200: SdrPerformanceReport, ...problemResponses },
      },
    },
    async (request) => {
      const p = principalOf(request)
      const { userId, teamId, ...q } = request.query
      const now = new Date()
      const w = windowOf(q, now)
      if (userId) await assertOwnerInReach(p, 'report', userId)
      return {
        period: period(w),
        scope: reportScope(p),
        users: await sdrPerformanceReport(db, p, w, { userId, teamId }, now),
      }
    },
  )
}

export default reports
