import { scoreBand } from './lead-format'

const TONE = { hot: 'good', warm: 'warn', cold: 'neutral' } as const

/** A score with its band in words, so the colour is never the only signal. */
export function ScoreBadge({ score }: { score: number }) {
  const band = scoreBand(score)
  return (
    <span className={`badge badge-${TONE[band]} score-badge`}>
      <span className="score-value">{score}</span> {band}
    </span>
  )
}
