import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js'

/*
 * Chart.js with only what the dashboards draw (bar charts, their axes, legend and tooltip),
 * so the rest of the library is left out of the bundle. Loaded on demand by chart.tsx: the
 * dashboards' figures and tables appear before the charting code has arrived.
 */
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip)

Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"
Chart.defaults.color = '#1b1f24'
Chart.defaults.borderColor = '#d4d9df'
// A slow laptop redraws at once rather than animating every period change.
Chart.defaults.animation = false

export { Chart }
