import { formatDateTime, humanize } from '../../ui/format'
import type { Lead, Touch } from './lead.types'

function TouchFacts({ touch }: { touch: Touch }) {
  return (
    <dl className="facts">
      <dt>Source / medium</dt>
      <dd>
        {touch.source} / {touch.medium}
      </dd>
      <dt>Campaign</dt>
      <dd>{touch.campaign ?? '—'}</dd>
      <dt>Channel</dt>
      <dd>{humanize(touch.channel)}</dd>
      {touch.landingPage ? (
        <>
          <dt>Landing page</dt>
          <dd className="break">{touch.landingPage}</dd>
        </>
      ) : null}
      <dt>When</dt>
      <dd>{formatDateTime(touch.occurredAt)}</dd>
    </dl>
  )
}

/** Where the lead came from first and most recently: the marketing touches that brought it in. */
export function LeadAttributionCard({ lead }: { lead: Lead }) {
  const { firstTouch, lastTouch, touches } = lead.attribution
  return (
    <section className="card" aria-labelledby="attribution-title">
      <h2 id="attribution-title">Attribution</h2>
      {!firstTouch && !lastTouch ? (
        <p className="muted">No marketing touch recorded.</p>
      ) : (
        <>
          <h3 className="subhead">First touch</h3>
          {firstTouch ? <TouchFacts touch={firstTouch} /> : <p className="muted">—</p>}
          {lastTouch && touches > 1 ? (
            <>
              <h3 className="subhead">Last touch</h3>
              <TouchFacts touch={lastTouch} />
            </>
          ) : null}
          <p className="muted small">
            {touches} touch{touches === 1 ? '' : 'es'} in all.
          </p>
        </>
      )}
    </section>
  )
}
