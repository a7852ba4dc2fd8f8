/** Latency summary of one series of measurements (milliseconds). */
export interface Latency {
  count: number
  mean: number
  p50: number
  p90: number
  p95: number
  p99: number
  max: number
}

/** Nearest-rank percentiles over every sample (no histogram rounding). */
export function summarise(samples: ArrayLike<number>): Latency {
  const sorted = Float64Array.from(samples).sort()
  const n = sorted.length
  const rank = (p: number) =>
    n === 0 ? Number.NaN : (sorted[Math.min(n - 1, Math.ceil((p / 100) * n) - 1)] ?? 0)
  let sum = 0
  for (const v of sorted) sum += v
  return {
    count: n,
    mean: n === 0 ? Number.NaN : sum / n,
    p50: rank(50),
    p90: rank(90),
    p95: rank(95),
    p99: rank(99),
    max: n === 0 ? Number.NaN : (sorted[n - 1] ?? 0),
  }
}

/** 0.42 ms, 8.1 ms, 31 ms, 1.2 s. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a'
  if (value >= 1000) return `${(value / 1000).toFixed(1)} s`
  if (value >= 100) return `${value.toFixed(0)} ms`
  if (value >= 10) return `${value.toFixed(1)} ms`
  return `${value.toFixed(2)} ms`
}

export function rate(value: number): string {
  return Number.isFinite(value) ? value.toFixed(0) : 'n/a'
}

export function elapsed(startMs: number): string {
  return `${((performance.now() - startMs) / 1000).toFixed(1)} s`
}

/** Samples latencies in a growable Float64Array (millions of samples without GC churn). */
export class Samples {
  private data = new Float64Array(1 << 16)
  length = 0

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2)
      next.set(this.data)
      this.data = next
    }
    this.data[this.length++] = value
  }

  values(): Float64Array {
    return this.data.subarray(0, this.length)
  }
}
