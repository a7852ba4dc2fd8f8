import { useSession } from '../../auth/session'
import { Page } from '../../ui/page'
import { AttributionPanel } from './attribution-panel'
import { ForecastPanel } from './forecast-panel'
import { FunnelPanel } from './funnel-panel'
import { JourneyVersionsPanel } from './journey-versions-panel'
import { PeriodControl, ReportScopeNote, usePeriod } from './period-control'
import type { FunnelReport } from './report.types'
import { SdrPanel } from './sdr-panel'
import { useReport } from './use-report'
import './dashboards.css'

/**
 * Dashboards for managers and marketing: the lead funnel, the forecast, attribution and
 * SDR performance, all over one period. The API applies the role's report scope; the note
 * says which, with the period it used. Roles that may read journeys also see how many run on
 * each workflow version now (not a period report: it is where a deploy stands).
 */
export default function DashboardsPage() {
  const { can } = useSession()
  const { choice, query, setChoice } = usePeriod()
  // The funnel's answer (shared with its panel through the query cache) says what was applied.
  const applied = useReport<FunnelReport>('funnel', query).data

  return (
    <Page title="Dashboards">
      <PeriodControl choice={choice} current={applied?.period} onChange={setChoice} />
      {applied ? <ReportScopeNote period={applied.period} scope={applied.scope} /> : null}
      <div className="dash-grid">
        <FunnelPanel period={query} />
        <ForecastPanel period={query} />
      </div>
      <AttributionPanel period={query} />
      <SdrPanel period={query} />
      {can('journey') ? <JourneyVersionsPanel /> : null}
    </Page>
  )
}
