import { useState } from 'react'
import type { Query } from '../../api/client'
import { SelectField } from '../../ui/field'
import { Empty } from '../../ui/page'
import { formatMoney, formatNumber, humanize } from '../../ui/format'
import { BarChart } from './chart'
import { formatAmounts } from './money'
import { ReportPanel } from './report-panel'
import type { ForecastCategory, PipelineBucket, PipelineReport } from './report.types'

import { useReport } from './use-report'

const CATEGORY_LABELS: Record<ForecastCategory, string> = {
  commit: 'Commit',
  best_case: 'Best case',
  pipeline: 'Pipeline',
  closed: 'Closed won',
  omitted: 'Omitted (lost)',
}

const STAGE_LABELS: Record<string, string> = {
  qualification: 'Qualification',
  needs_analysis: 'Needs analysis',
  proposal: 'Proposal',
  negotiation: 'Negotiation',
  closed_won: 'Won',
  closed_lost: 'Lost',
}

const amountIn = (bucket: PipelineBucket, currency: string) =>
  bucket.amounts.find((a) => a.currency === currency) ?? { currency, amount: 0, weightedAmount: 0 }

function currenciesOf(report: PipelineReport): string[] {
  return report.all.amounts
    .slice()
    .sort((a, b) => b.amount - a.amount)
    .map((a) => a.currency)
}

function BucketCells({ bucket }: { bucket: PipelineBucket }) {
  return (
    <>
      <td className="num">{formatNumber(bucket.count)}</td>
      <td className="num">{formatAmounts(bucket.amounts)}</td>
      <td className="num">
        {formatAmounts(bucket.amounts.map((a) => ({ currency: a.currency, amount: a.weightedAmount })))}
      </td>
    </>
  )
}

/** Deals closing in the period by forecast category (as of today), amount and weighted, per currency. */
export function ForecastPanel({ period }: { period: Query }) {
  const report = useReport<PipelineReport>('pipeline', period)
  const [chosen, setChosen] = useState('')

  return (
    <ReportPanel
      title="Forecast"
      description="Deals whose close date falls in the period, by forecast category as of today; weighted = amount × probability."
      report={report}
    >
      {(data) => {
        if (data.all.count === 0) return <Empty>No deals close in this period.</Empty>
        const currencies = currenciesOf(data)
        const currency = currencies.includes(chosen) ? chosen : (currencies[0] ?? 'INR')
        const rows = data.byForecastCategory
        return (
          <>
            {currencies.length > 1 ? (
              <div className="currency-choice">
                <SelectField
                  label="Currency"
                  hint="Amounts are never added across currencies."
                  value={currency}
                  options={currencies.map((c) => ({ value: c, label: c }))}
                  onChange={(e) => setChosen(e.target.value)}
                />
              </div>
            ) : null}
            <BarChart
              labels={rows.map((r) => CATEGORY_LABELS[r.category])}
              series={[
                { label: `Amount (${currency})`, values: rows.map((r) => amountIn(r, currency).amount) },
                {
                  label: `Weighted (${currency})`,
                  values: rows.map((r) => amountIn(r, currency).weightedAmount),
                  color: '#6f42c1',
                },
              ]}
              summary={`Forecast in ${currency}: ${rows
                .map(
                  (r) =>
                    `${CATEGORY_LABELS[r.category]} ${formatMoney(amountIn(r, currency).amount, currency)}, weighted ${formatMoney(
                      amountIn(r, currency).weightedAmount,
                      currency,
                    )}`,
                )
                .join('; ')}.`}
            />
            <table className="table report-table" aria-label="Forecast by category">
              <thead>
                <tr>
                  <th scope="col">Category</th>
                  <th scope="col" className="num">
                    Deals
                  </th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                  <th scope="col" className="num">
                    Weighted
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.category} data-category={r.category}>
                    <th scope="row">{CATEGORY_LABELS[r.category]}</th>
                    <BucketCells bucket={r} />
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">Open deals</th>
                  <BucketCells bucket={data.open} />
                </tr>
              </tfoot>
            </table>
            <details className="report-more">
              <summary>By stage</summary>
              <table className="table report-table">
                <caption>Deals by stage</caption>
                <thead>
                  <tr>
                    <th scope="col">Stage</th>
                    <th scope="col" className="num">
                      Deals
                    </th>
                    <th scope="col" className="num">
                      Amount
                    </th>
                    <th scope="col" className="num">
                      Weighted
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.byStage.map((r) => (
                    <tr key={r.stage}>
                      <th scope="row">{STAGE_LABELS[r.stage] ?? humanize(r.stage)}</th>
                      <BucketCells bucket={r} />
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          </>
        )
      }}
    </ReportPanel>
  )
}
