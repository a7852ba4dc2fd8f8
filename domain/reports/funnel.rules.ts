import { rate } from './rate.rules.js'

/*
 * The lead funnel: how many leads reached each stage, and how many of those went on to the
 * next. Stages are cumulative (a converted lead was also captured, contacted and
 * qualified), so every rate is between 0 and 1. Pure.
 */

export const FUNNEL_STAGES = ['captured', 'contacted', 'qualified', 'converted', 'won'] as const
export type FunnelStage = (typeof FUNNEL_STAGES)[number]

export type FunnelCounts = Record<FunnelStage, number>

export interface FunnelRates {
  /** contacted / captured. */
  contacted: number
  /** qualified / contacted. */
  qualified: number
  /** converted / qualified. */
  converted: number
  /** won / converted. */
  won: number
  /** won / captured: the whole funnel. */
  overall: number
}

/** Each stage's rate from the stage before it, plus captured-to-won; 0 where nothing entered. */
export function funnelRates(c: FunnelCounts): FunnelRates {
  return {
    contacted: rate(c.contacted, c.captured),
    qualified: rate(c.qualified, c.contacted),
    converted: rate(c.converted, c.qualified),
    won: rate(c.won, c.converted),
    overall: rate(c.won, c.captured),
  }
}

export const emptyFunnel = (): FunnelCounts => ({
  captured: 0,
  contacted: 0,
  qualified: 0,
  converted: 0,
  won: 0,
})
