import { useId, useState } from 'react'
import type { Query } from '../../api/client'
import { SelectField } from '../../ui/field'
import { Empty } from '../../ui/page'
import { formatNumber, formatPercent } from '../../ui/format'
import { BarChart } from './chart'
import { formatAmounts } from './money'
import { ReportPanel } from './report-panel'
import type { AttributionDimension, AttributionReport } from './report.types'
import { useReport } from './use-report'

const GROUPINGS: { value: string; label: string; dims: AttributionDimension[] }[] = [
  { value: 'source', label: 'Source', dims: ['source'] },
  { value: 'campaign', label: 'Campaign', dims: ['campaign'] },
  { value: 'source-campaign', label: 'Source and campaign', dims: ['source', 'campaign'] },
  { value: 'all', label: 'Source, medium and campaign', dims: ['source', 'medium', 'campaign'] },
]

const DIM_LABELS: Record<AttributionDimension, string> = {
  source: 'Source',
  medium: 'Medium',
  campaign: 'Campaign',
}

/** The chart shows the largest groups; the table has them all. */
const CHART_ROWS = 10

type Row = AttributionReport['rows'][number]
const rowName = (row: Row, dims: readonly AttributionDimension[]) =>
  dims.map((d) => row[d] ?? '(no campaign)').join(' / ')

/** Leads, conversions and won revenue credited to the first or the last touch. */
export function AttributionPanel({ period }: { period: Query }) {
  const [model, setModel] = useState<'first' | 'last'>('first')
  const [grouping, setGrouping] = useState('source')
  const dims = GROUPINGS.find((g) => g.value === grouping)?.dims ?? ['source']
  const report = useReport<AttributionReport>('attribution', { ...period, model, groupBy: dims })
  const modelName = useId()

  const controls = (
    <>
      <fieldset className="segmented segmented-small">
        <legend>Credit to</legend>
        {(['first', 'last'] as const).map((m) => (
          <label key={m} className={model === m ? 'segment segment-on' : 'segment'}>
            <input
              type="radio"
              name={modelName}
              value={m}
              checked={model === m}
              onChange={() => setModel(m)}
            />
            {m === 'first' ? 'First touch' : 'Last touch'}
          </label>
        ))}
      </fieldset>
      <SelectField
        label="Group by"
        value={grouping}
        options={GROUPINGS}
        onChange={(e) => setGrouping(e.target.value)}
      />
    </>
  )

  return (
    <ReportPanel
      title="Source and campaign attribution"
      description="Each lead created in the period is credited wholly to its first or its last recorded touch."
      report={report}
      controls={controls}
    >
      {(data) => {
        const shown = data.groupBy
        if (data.rows.length === 0) return <Empty>No leads were created in this period.</Empty>
        // Largest first, in the chart and the table alike.
        const rows = [...data.rows].sort(
          (a, b) => b.leads - a.leads || rowName(a, shown).localeCompare(rowName(b, shown)),
        )
        const top = rows.slice(0, CHART_ROWS)
        const labels = top.map((r) => rowName(r, shown))
        return (
          <>
            <BarChart
              horizontal
              height={Math.max(180, 48 + top.length * 36)}
              labels={labels}
              series={[
                { label: 'Leads', values: top.map((r) => r.leads) },
                { label: 'Converted', values: top.map((r) => r.convertedLeads) },
              ]}
              summary={`Leads and conversions by ${shown.join(', ')}, ${data.model} touch: ${top
                .map((r, i) => `${labels[i]} ${r.leads} leads, ${r.convertedLeads} converted`)
                .join('; ')}.`}
            />
            <table className="table report-table" aria-label="Attribution">
              <thead>
                <tr>
                  {shown.map((d) => (
                    <th key={d} scope="col">
                      {DIM_LABELS[d]}
                    </th>
                  ))}
                  <th scope="col" className="num">
                    Leads
                  </th>
                  <th scope="col" className="num">
                    Converted
                  </th>
                  <th scope="col" className="num">
                    Conversion
                  </th>
                  <th scope="col" className="num">
                    Won deals
                  </th>
                  <th scope="col" className="num">
                    Won amount
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={rowName(r, shown)}>
                    {shown.map((d, i) =>
                      i === 0 ? (
                        <th key={d} scope="row">
                          {r[d] ?? '(no campaign)'}
                        </th>
                      ) : (
                        <td key={d}>{r[d] ?? '(no campaign)'}</td>
                      ),
                    )}
                    <td className="num">{formatNumber(r.leads)}</td>
                    <td className="num">{formatNumber(r.convertedLeads)}</td>
                    <td className="num">{formatPercent(r.conversionRate)}</td>
                    <td className="num">{formatNumber(r.wonOpportunities)}</td>
                    <td className="num">{formatAmounts(r.wonAmounts)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" colSpan={shown.length}>
                    Total
                  </th>
                  <td className="num">{formatNumber(data.totals.leads)}</td>
                  <td className="num">{formatNumber(data.totals.convertedLeads)}</td>
                  <td className="num">{formatPercent(data.totals.conversionRate)}</td>
                  <td className="num">{formatNumber(data.totals.wonOpportunities)}</td>
                  <td className="num">{formatAmounts(data.totals.wonAmounts)}</td>
                </tr>
              </tfoot>
            </table>
          </>
        )
      }}
    </ReportPanel>
  )
}
