import { afterEach, describe, expect, it, vi } from 'vitest'
import { retryDelayMs } from '../../../ingestion/outbox/relay.js'

const MAX = 60_000

/** The un-jittered delay for `attempts`: 500 ms doubling per attempt, capped at `max`. */
const base = (attempts: number, max = MAX) => Math.min(max, 500 * 2 ** Math.max(0, attempts - 1))

/** Many draws, so the jitter's range is exercised. */
function samples(attempts: number, max = MAX, n = 500): number[] {
  return Array.from({ length: n }, () => retryDelayMs(attempts, max))
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('retryDelayMs', () => {
  it('waits about 250-500 ms after the first failure (attempts 0 and 1)', () => {
    for (const attempts of [0, 1]) {
      for (const d of samples(attempts)) {
        expect(d).toBeGreaterThanOrEqual(250)
        expect(d).toBeLessThanOrEqual(500)
      }
    }
  })

  it('stays within [base/2, base] for every attempt', () => {
    for (let attempts = 0; attempts <= 20; attempts++) {
      const b = base(attempts)
      for (const d of samples(attempts, MAX, 100)) {
        expect(d, `attempts ${attempts}`).toBeGreaterThanOrEqual(Math.floor(b / 2))
        expect(d, `attempts ${attempts}`).toBeLessThanOrEqual(b)
        expect(Number.isInteger(d)).toBe(true)
      }
    }
  })

  it('spans the whole jitter range: lowest with random()=0, highest with random()≈1', () => {
    const random = vi.spyOn(Math, 'random')
    random.mockReturnValue(0)
    expect(retryDelayMs(1, MAX)).toBe(250)
    expect(retryDelayMs(3, MAX)).toBe(1000)
    random.mockReturnValue(0.999999)
    expect(retryDelayMs(1, MAX)).toBe(500)
    expect(retryDelayMs(3, MAX)).toBe(2000)
  })

  it('doubles with each attempt (compared at the same jitter)', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5)
    const delays = [1, 2, 3, 4, 5, 6].map((a) => retryDelayMs(a, MAX))
    expect(delays).toEqual([375, 750, 1500, 3000, 6000, 12_000])
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBe(2 * delays[i - 1]!)
  })

  it('grows on average as attempts grow', () => {
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
    const means = [1, 2, 3, 4, 5, 6, 7].map((a) => mean(samples(a)))
    for (let i = 1; i < means.length; i++) expect(means[i]).toBeGreaterThan(means[i - 1]!)
  })

  it('never exceeds the maximum, however many attempts', () => {
    for (const max of [100, 200, 1000, 60_000]) {
      for (const attempts of [1, 5, 10, 30, 100, 1000, 10_000]) {
        for (const d of samples(attempts, max, 50)) {
          expect(d).toBeLessThanOrEqual(max)
          expect(d).toBeGreaterThanOrEqual(Math.floor(base(attempts, max) / 2))
          expect(Number.isFinite(d)).toBe(true)
        }
      }
    }
  })

  it('settles in [max/2, max] once the backoff has reached the cap', () => {
    for (const d of samples(30, 1000)) {
      expect(d).toBeGreaterThanOrEqual(500)
      expect(d).toBeLessThanOrEqual(1000)
    }
  })

  it('caps even the first delay at the maximum', () => {
    for (const d of samples(1, 200)) {
      expect(d).toBeGreaterThanOrEqual(100)
      expect(d).toBeLessThanOrEqual(200)
    }
  })
})
