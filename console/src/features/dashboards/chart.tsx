import type { Chart as ChartJs, ChartConfiguration } from 'chart.js'
import { useEffect, useRef, useState } from 'react'
// Types only: the module itself is loaded on demand below.
import type * as ChartSetup from './chart-setup'

/*
 * A bar chart on a <canvas>. The canvas is an image to assistive technology (role="img")
 * whose label summarises the figures; every chart sits next to a table of the same numbers,
 * which is what a screen reader or a keyboard user reads.
 */

/** Colours with at least 3:1 contrast against white, as non-text graphics need. */
export const PALETTE = ['#0b5cad', '#1a6b35', '#8a4b00', '#6f42c1', '#b3261e', '#545d68'] as const

export interface Series {
  label: string
  values: number[]
  color?: string
}

let loading: Promise<typeof ChartSetup> | null = null
const loadChartJs = () => (loading ??= import('./chart-setup'))

export function BarChart({
  labels,
  series,
  summary,
  horizontal = false,
  percent = false,
  height = 260,
}: {
  labels: readonly string[]
  series: readonly Series[]
  /** What the chart shows, in a sentence or two: its accessible name. */
  summary: string
  horizontal?: boolean
  /** Values are fractions shown as percentages. */
  percent?: boolean
  height?: number
}) {
  const canvas = useRef<HTMLCanvasElement>(null)
  const [failed, setFailed] = useState(false)
  // Redrawn only when what it shows changes, not on every render of the page.
  const data = JSON.stringify({ labels, series, horizontal, percent })

  useEffect(() => {
    let chart: ChartJs | null = null
    let cancelled = false
    const {
      labels: l,
      series: s,
      horizontal: h,
      percent: p,
    } = JSON.parse(data) as {
      labels: string[]
      series: Series[]
      horizontal: boolean
      percent: boolean
    }
    loadChartJs().then(
      ({ Chart }) => {
        if (cancelled || !canvas.current) return
        const value = (v: number | string) =>
          p ? `${Math.round(Number(v) * 100)}%` : Number(v).toLocaleString()
        // Long names on a category axis go on two lines rather than slanting.
        const lines = (label: string) =>
          !h && label.length > 12 && label.includes(' ') ? label.split(' ') : label
        const config: ChartConfiguration<'bar'> = {
          type: 'bar',
          data: {
            labels: l.map(lines),
            datasets: s.map((one, i) => ({
              label: one.label,
              data: one.values,
              backgroundColor: one.color ?? PALETTE[i % PALETTE.length],
              borderRadius: 3,
              maxBarThickness: 48,
            })),
          },
          options: {
            indexAxis: h ? 'y' : 'x',
            responsive: true,
            maintainAspectRatio: false,
            plugins: {
              legend: { display: s.length > 1, position: 'bottom' },
              tooltip: {
                callbacks: {
                  label: (ctx) => `${ctx.dataset.label}: ${value(ctx.parsed[h ? 'x' : 'y'] ?? 0)}`,
                },
              },
            },
            scales: {
              [h ? 'y' : 'x']: { ticks: { maxRotation: 0, autoSkip: false } },
              [h ? 'x' : 'y']: {
                beginAtZero: true,
                ...(p ? { max: 1 } : {}),
                ticks: { callback: (v: number | string) => value(v), precision: p ? 2 : 0, maxTicksLimit: 6 },
              },
            },
          },
        }
        chart = new Chart(canvas.current, config)
      },
      () => setFailed(true),
    )
    return () => {
      cancelled = true
      chart?.destroy()
    }
  }, [data])

  return (
    <div className="chart" style={{ height }}>
      <canvas ref={canvas} role="img" aria-label={summary}>
        {summary}
      </canvas>
      {failed ? (
        <p className="small muted">The chart could not be drawn; the table below has its figures.</p>
      ) : null}
    </div>
  )
}
