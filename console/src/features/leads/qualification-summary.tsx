import { Badge } from '../../ui/page'
import { humanize } from '../../ui/format'
import type { FrameworkSummary, QualificationSummary } from './lead.types'

const RISK_TONE = { Low: 'good', Medium: 'warn', High: 'bad' } as const

function Framework({ name, f }: { name: string; f: FrameworkSummary }) {
  return (
    <div className="framework">
      <div className="framework-score">
        <span className="framework-name">{name}</span> <strong>{f.score}</strong>
        <span className="muted">/100</span>
      </div>
      <div className="meter" aria-hidden="true">
        <div className="meter-fill" style={{ width: `${f.score}%` }} />
      </div>
      <div className="muted small">
        {f.confirmed} confirmed, {f.partial} partial, {f.negative} negative of {f.of}
        {f.missing.length > 0 ? ` · not confirmed: ${f.missing.map((m) => humanize(m)).join(', ')}` : ''}
      </div>
    </div>
  )
}

/** BANT and MEDDICC scores, the risk level and the reasons behind it, as the API derived them. */
export function QualificationSummaryView({ summary }: { summary: QualificationSummary }) {
  return (
    <div className="qualification-summary">
      <div className="lead-badges">
        <Badge tone={summary.qualified ? 'good' : 'neutral'}>
          {summary.qualified ? 'Qualified' : 'Not qualified yet'}
        </Badge>
        <Badge tone={RISK_TONE[summary.risk.level]}>Risk: {summary.risk.level}</Badge>
      </div>
      <Framework name="BANT" f={summary.bant} />
      <Framework name="MEDDICC" f={summary.meddicc} />
      {summary.risk.reasons.length > 0 ? (
        <>
          <h3 className="subhead">Risk reasons</h3>
          <ul className="plain-list">
            {summary.risk.reasons.map((r) => (
              <li key={r.code}>
                <Badge tone={r.weight === 'high' ? 'bad' : 'warn'}>{humanize(r.weight)}</Badge> {r.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  )
}
