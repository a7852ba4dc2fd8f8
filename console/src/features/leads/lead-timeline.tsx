import { Button } from '../../ui/button'
import { formatDateTime, formatRelative, humanize } from '../../ui/format'
import { Empty, Loading } from '../../ui/page'
import { ProblemAlert } from '../../ui/problem-alert'
import { userIdOfActor } from './lead-format'
import type { Activity } from './lead.types'
import { useTimeline } from './use-lead'
import { useUserNames } from './use-user-names'

function duration(seconds: unknown): string | null {
  if (typeof seconds !== 'number') return null
  const m = Math.floor(seconds / 60)
  const s = seconds % 60
  return m > 0 ? `${m} min${s ? ` ${s} s` : ''}` : `${s} s`
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value : null
}

/** System actors in words: `system:journey` → "Journey", `api:anonymous` → "API". */
function systemActor(actorId: string): string {
  const [kind, name] = actorId.split(':')
  if (kind === 'system') return humanize(name ?? 'system')
  if (kind === 'api') return 'API'
  return actorId
}

function Entry({ a, who, now }: { a: Activity; who: (id: string | null) => string; now: number }) {
  const userId = userIdOfActor(a.actorId)
  const d = a.details
  const outcome = text(d['outcome'])
  const body = text(d['body']) ?? text(d['note'])
  const reason = a.kind === 'stage_change' ? text(d['reason']) : null
  const length = duration(d['durationSeconds'])
  return (
    <li className={`timeline-entry timeline-${a.kind}`}>
      <div className="timeline-head">
        <span className="timeline-kind">{humanize(a.kind)}</span>
        {a.direction !== 'internal' ? <span className="muted small">{humanize(a.direction)}</span> : null}
        <time className="muted small" dateTime={a.occurredAt} title={formatDateTime(a.occurredAt)}>
          {formatRelative(a.occurredAt, now)} · {formatDateTime(a.occurredAt)}
        </time>
      </div>
      {a.subject ? <div className="timeline-subject">{a.subject}</div> : null}
      {outcome || length ? (
        <div className="small">
          {outcome ? <>Outcome: {humanize(outcome)}</> : null}
          {outcome && length ? ' · ' : null}
          {length ? <>Duration: {length}</> : null}
        </div>
      ) : null}
      {reason ? <div className="small muted">{reason}</div> : null}
      {body ? <p className="timeline-body">{body}</p> : null}
      <div className="muted small">by {userId ? who(userId) : systemActor(a.actorId)}</div>
    </li>
  )
}

/** Everything that happened to the lead, newest first, a page at a time. */
export function LeadTimeline({ leadId }: { leadId: string }) {
  const timeline = useTimeline(leadId)
  const who = useUserNames(timeline.items.map((a) => userIdOfActor(a.actorId)))
  const now = Date.now()
  return (
    <section className="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      {timeline.isPending ? (
        <Loading label="Loading the timeline…" />
      ) : timeline.error && timeline.items.length === 0 ? (
        <ProblemAlert error={timeline.error} />
      ) : timeline.items.length === 0 ? (
        <Empty>Nothing recorded yet.</Empty>
      ) : (
        <>
          <ol className="timeline" aria-label="Timeline entries, newest first">
            {timeline.items.map((a) => (
              <Entry key={a.id} a={a} who={who} now={now} />
            ))}
          </ol>
          {timeline.hasNextPage ? (
            <Button onClick={timeline.loadMore} busy={timeline.isFetchingNextPage}>
              Show older entries
            </Button>
          ) : null}
        </>
      )}
    </section>
  )
}
