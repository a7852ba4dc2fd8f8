import { humanize } from '../../ui/format'
import type { Lead } from './lead.types'
import { ScoreBadge } from './score-badge'

/** Why the lead scores what it does: the rules that fired, with their points, and the engagement counted. */
export function LeadScoreCard({ lead }: { lead: Lead }) {
  const { scoring } = lead
  const engagement = Object.entries(scoring.engagement).filter(([, n]) => n > 0)
  return (
    <section className="card" aria-labelledby="score-title">
      <h2 id="score-title">
        Score <ScoreBadge score={scoring.score} />
      </h2>
      {scoring.explanation ? <p className="score-explanation">{scoring.explanation}</p> : null}
      {scoring.breakdown.length > 0 ? (
        <table className="table compact">
          <caption className="visually-hidden">Score breakdown</caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Why</th>
              <th scope="col" className="num">
                Points
              </th>
            </tr>
          </thead>
          <tbody>
            {scoring.breakdown.map((line) => (
              <tr key={line.ruleId}>
                <td>{line.label}</td>
                <td className="muted">{line.detail}</td>
                <td className="num">{line.points > 0 ? `+${line.points}` : line.points}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No scoring rule applies to this lead yet.</p>
      )}
      {engagement.length > 0 ? (
        <p className="small">
          <span className="muted">Engagement counted: </span>
          {engagement.map(([event, n]) => `${humanize(event)} × ${n}`).join(', ')}
        </p>
      ) : null}
      {scoring.ruleVersion !== null ? (
        <p className="muted small">Scoring rules version {scoring.ruleVersion}.</p>
      ) : null}
    </section>
  )
}
