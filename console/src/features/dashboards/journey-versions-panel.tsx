import { Empty } from '../../ui/page'
import { formatNumber, formatPercent } from '../../ui/format'
import { ReportPanel } from './report-panel'
import { useJourneyCounts, type JourneyCounts } from './use-journey-counts'

/** What each workflow code version does differently (workflows/lead-journey.messages.ts JOURNEY_VERSIONS). */
const VERSION_NOTES: Record<string, string> = {
  '1': 'records the start and waits; upgrades at its next event',
  '2': 'the playbook: nurture, SDR tasks, escalation',
  '3': 'the playbook, re-routing a missed first contact before escalating',
}

const share = (n: number, of: number) => (of === 0 ? 0 : n / of)

function summary(c: JourneyCounts): string {
  const parts = c.byVersion.map((v) => `${formatNumber(v.running)} on version ${v.version}`)
  return `${formatNumber(c.running)} lead journeys running: ${parts.join(', ')}.`
}

/**
 * Running lead journeys by the workflow code version they execute (their JourneyVersion
 * search attribute): how far a deploy has rolled through, since older journeys move to the
 * new code only at their next step.
 */
export function JourneyVersionsPanel() {
  const counts = useJourneyCounts()
  return (
    <ReportPanel
      title="Journeys by version"
      description="Lead journeys running now, by the workflow version they run on, as Temporal reports them (counts trail changes by a moment)."
      report={counts}
    >
      {(data) =>
        data.running === 0 ? (
          <Empty>No lead journey is running.</Empty>
        ) : (
          <>
            <p className="muted small">{summary(data)}</p>
            <table className="table report-table" aria-label="Journeys by version">
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">What it runs</th>
                  <th scope="col" className="num">
                    Running
                  </th>
                  <th scope="col" className="num">
                    Share
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.byVersion.map((v) => (
                  <tr key={v.version} data-version={v.version}>
                    <th scope="row">Version {v.version}</th>
                    <td>{VERSION_NOTES[v.version] ?? '—'}</td>
                    <td className="num">{formatNumber(v.running)}</td>
                    <td className="num">{formatPercent(share(v.running, data.running))}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">All versions</th>
                  <td />
                  <td className="num">{formatNumber(data.running)}</td>
                  <td />
                </tr>
              </tfoot>
            </table>
            <details className="report-more">
              <summary>By stage</summary>
              <table className="table report-table" aria-label="Journeys by stage">
                <thead>
                  <tr>
                    <th scope="col">Stage</th>
                    <th scope="col" className="num">
                      Running
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.byStage.map((s) => (
                    <tr key={s.stage}>
                      <th scope="row">{s.stage}</th>
                      <td className="num">{formatNumber(s.running)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          </>
        )
      }
    </ReportPanel>
  )
}
