import type { Query } from '../../api/client'
import { Empty } from '../../ui/page'
import { formatNumber, formatPercent, humanize } from '../../ui/format'
import { BarChart } from './chart'
import { ReportPanel } from './report-panel'
import { FUNNEL_STAGES, type Funnel, type FunnelReport, type FunnelStage } from './report.types'
import { useReport } from './use-report'

const LABELS: Record<FunnelStage, string> = {
  captured: 'Captured',
  contacted: 'Contacted',
  qualified: 'Qualified',
  converted: 'Converted',
  won: 'Won',
}

/** The rate into a stage from the one before it; captured has none. */
const rateInto = (f: Funnel, stage: FunnelStage) => (stage === 'captured' ? null : f.rates[stage])

function summary(f: Funnel): string {
  const parts = FUNNEL_STAGES.map((s) => {
    const rate = rateInto(f, s)
    return `${formatNumber(f.counts[s])} ${s}${rate === null ? '' : ` (${formatPercent(rate)} of the stage before)`}`
  })
  return `Lead funnel: ${parts.join(', ')}. Overall ${formatPercent(f.rates.overall)} of captured leads were won.`
}

function BreakdownTable({
  caption,
  heading,
  rows,
}: {
  caption: string
  heading: string
  rows: (Funnel & { name: string })[]
}) {
  return (
    <table className="table report-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{heading}</th>
          {FUNNEL_STAGES.map((s) => (
            <th key={s} scope="col" className="num">
              {LABELS[s]}
            </th>
          ))}
          <th scope="col" className="num">
            Won of captured
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.name}>
            <th scope="row">{r.name}</th>
            {FUNNEL_STAGES.map((s) => (
              <td key={s} className="num">
                {formatNumber(r.counts[s])}
              </td>
            ))}
            <td className="num">{formatPercent(r.rates.overall)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** The leads created in the period, stage by stage, with each step's conversion rate. */
export function FunnelPanel({ period }: { period: Query }) {
  const report = useReport<FunnelReport>('funnel', period)
  return (
    <ReportPanel
      title="Lead funnel"
      description="Leads created in the period and how far each got, as of now; each rate is over the stage before."
      report={report}
    >
      {(data) =>
        data.overall.counts.captured === 0 ? (
          <Empty>No leads were created in this period.</Empty>
        ) : (
          <>
            <BarChart
              labels={FUNNEL_STAGES.map((s) => {
                const rate = rateInto(data.overall, s)
                return rate === null ? LABELS[s] : `${LABELS[s]} ${formatPercent(rate)}`
              })}
              series={[{ label: 'Leads', values: FUNNEL_STAGES.map((s) => data.overall.counts[s]) }]}
              summary={summary(data.overall)}
            />
            <table className="table report-table" aria-label="Lead funnel">
              <thead>
                <tr>
                  <th scope="col">Stage</th>
                  <th scope="col" className="num">
                    Leads
                  </th>
                  <th scope="col" className="num">
                    From the stage before
                  </th>
                </tr>
              </thead>
              <tbody>
                {FUNNEL_STAGES.map((s) => {
                  const rate = rateInto(data.overall, s)
                  return (
                    <tr key={s} data-stage={s}>
                      <th scope="row">{LABELS[s]}</th>
                      <td className="num">{formatNumber(data.overall.counts[s])}</td>
                      <td className="num">{rate === null ? '—' : formatPercent(rate)}</td>
                    </tr>
                  )
                })}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">Won of captured</th>
                  <td />
                  <td className="num">{formatPercent(data.overall.rates.overall)}</td>
                </tr>
              </tfoot>
            </table>
            <details className="report-more">
              <summary>By source and by channel</summary>
              <BreakdownTable
                caption="By first-touch source"
                heading="Source"
                rows={data.bySource.map((r) => ({ ...r, name: r.source }))}
              />
              <BreakdownTable
                caption="By capture channel"
                heading="Channel"
                rows={data.byChannel.map((r) => ({ ...r, name: humanize(r.channel) }))}
              />
            </details>
          </>
        )
      }
    </ReportPanel>
  )
}
