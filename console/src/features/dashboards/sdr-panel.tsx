import type { Query } from '../../api/client'
import { Empty } from '../../ui/page'
import { formatNumber, formatPercent, humanize } from '../../ui/format'
import { BarChart } from './chart'
import { ReportPanel } from './report-panel'
import type { SdrPerformanceReport, SdrRow } from './report.types'
import { useReport } from './use-report'

/** "45 min", "3 h 5 min", "2 d 4 h": a response time as people say it. */
export function formatMinutes(minutes: number | null): string {
  if (minutes === null) return '—'
  const m = Math.round(minutes)
  if (m < 60) return `${m} min`
  if (m < 24 * 60) return m % 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m / 60} h`
  const hours = Math.round(m / 60)
  return hours % 24 ? `${Math.floor(hours / 24)} d ${hours % 24} h` : `${hours / 24} d`
}

const ROLE_LABELS: Record<string, string> = { sdr: 'SDR', sales_rep: 'Account executive' }
const roleLabel = (role: string) => ROLE_LABELS[role] ?? humanize(role)

/** Beyond this many people a chart's bars run sideways, one row each. */
const SIDEWAYS_FROM = 7

/** Who had leads to work in the period: the charts compare them; the table lists everyone. */
const worked = (u: SdrRow) => u.leadsAssigned > 0

function rateSummary(users: SdrRow[]): string {
  return `Contact and conversion rate per person: ${users
    .map(
      (u) =>
        `${u.name} ${formatPercent(u.contactRate)} contacted, ${formatPercent(u.conversionRate)} converted`,
    )
    .join('; ')}.`
}

function responseSummary(users: SdrRow[]): string {
  return `Median time to first contact per person: ${users
    .map((u) => `${u.name} ${formatMinutes(u.responseMinutes.median)}`)
    .join('; ')}.`
}

/** Per person: how fast and how well the leads assigned in the period were worked. */
export function SdrPanel({ period }: { period: Query }) {
  const report = useReport<SdrPerformanceReport>('sdr-performance', period)
  return (
    <ReportPanel
      title="SDR performance"
      description="Leads assigned in the period: time to first contact, contact and conversion rates; tasks and activity in the period."
      report={report}
    >
      {(data) => {
        if (data.users.length === 0) return <Empty>Nobody in your scope.</Empty>
        const charted = data.users.filter(worked)
        const sideways = charted.length >= SIDEWAYS_FROM
        const height = sideways ? 60 + charted.length * 34 : 260
        const users = [...data.users].sort(
          (a, b) => b.leadsAssigned - a.leadsAssigned || a.name.localeCompare(b.name),
        )
        return (
          <>
            {charted.length === 0 ? (
              <Empty>No leads were assigned in this period.</Empty>
            ) : (
              <div className="chart-pair">
                <figure>
                  <figcaption>Contact and conversion rate</figcaption>
                  <BarChart
                    percent
                    horizontal={sideways}
                    height={height}
                    labels={charted.map((u) => u.name)}
                    series={[
                      { label: 'Contacted', values: charted.map((u) => u.contactRate) },
                      { label: 'Converted', values: charted.map((u) => u.conversionRate) },
                    ]}
                    summary={rateSummary(charted)}
                  />
                </figure>
                <figure>
                  <figcaption>Median time to first contact (minutes)</figcaption>
                  <BarChart
                    horizontal={sideways}
                    height={height}
                    labels={charted.map((u) => u.name)}
                    series={[
                      {
                        label: 'Median minutes',
                        values: charted.map((u) => Math.round(u.responseMinutes.median ?? 0)),
                        color: '#8a4b00',
                      },
                    ]}
                    summary={responseSummary(charted)}
                  />
                </figure>
              </div>
            )}
            {/* Scrolls sideways on a narrow screen: focusable so the keyboard can scroll it too. */}
            <div className="table-scroll" role="region" aria-label="SDR performance table" tabIndex={0}>
              <table className="table report-table" aria-label="SDR performance">
                <thead>
                  <tr>
                    <th scope="col" className="person">
                      Person
                    </th>
                    <th scope="col" className="num">
                      Assigned
                    </th>
                    <th scope="col" className="num">
                      Contacted
                    </th>
                    <th scope="col" className="num">
                      Contact rate
                    </th>
                    <th scope="col" className="num">
                      Median response
                    </th>
                    <th scope="col" className="num">
                      Average response
                    </th>
                    <th scope="col" className="num">
                      Converted
                    </th>
                    <th scope="col" className="num">
                      Conversion rate
                    </th>
                    <th scope="col" className="num">
                      Tasks done
                    </th>
                    <th scope="col" className="num">
                      Overdue now
                    </th>
                    <th scope="col" className="num">
                      Activities
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {users.map((u) => (
                    <tr key={u.userId} data-user-id={u.userId}>
                      <th scope="row">
                        {u.name}
                        <span className="person-role">
                          <span className="visually-hidden">, </span>
                          {roleLabel(u.role)}
                        </span>
                      </th>
                      <td className="num">{formatNumber(u.leadsAssigned)}</td>
                      <td className="num">{formatNumber(u.leadsContacted)}</td>
                      <td className="num">{formatPercent(u.contactRate)}</td>
                      <td className="num">{formatMinutes(u.responseMinutes.median)}</td>
                      <td className="num">{formatMinutes(u.responseMinutes.average)}</td>
                      <td className="num">{formatNumber(u.leadsConverted)}</td>
                      <td className="num">{formatPercent(u.conversionRate)}</td>
                      <td className="num">{formatNumber(u.tasksCompleted)}</td>
                      <td className="num">{formatNumber(u.tasksOverdue)}</td>
                      <td className="num">{formatNumber(u.activitiesLogged)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )
      }}
    </ReportPanel>
  )
}
