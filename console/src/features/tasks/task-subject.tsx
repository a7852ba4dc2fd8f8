import { Link } from 'react-router'
import type { Subject } from './use-task-subjects'

/** The record a task concerns: a lead links to its page; an account or other record is named. */
export function TaskSubject({ subject }: { subject: Subject }) {
  if (!subject) return <span className="muted">—</span>
  if (subject.kind === 'lead') {
    return <Link to={`/leads/${subject.id}`}>{subject.name ?? 'Open the lead'}</Link>
  }
  if (subject.kind === 'account')
    return (
      <span>
        Account:{' '}
        {subject.missing ? 'one you cannot see' : (subject.name ?? <span className="muted">loading…</span>)}
      </span>
    )
  return <span>{subject.label}</span>
}
