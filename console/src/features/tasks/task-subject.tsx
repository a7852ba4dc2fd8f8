import { Link } from 'react-router'
import { FieldValue } from '../leads/field-value'
import { leadName } from '../leads/lead-format'
import type { Subject } from './use-task-subjects'

/** The record a task concerns: a lead links to its page; an account or other record is named. */
export function TaskSubject({ subject }: { subject: Subject }) {
  if (!subject) return <span className="muted">—</span>
  if (subject.kind === 'lead') {
    if (subject.missing) return <span className="muted">A lead you cannot see</span>
    return (
      <>
        <Link to={`/leads/${subject.id}`}>{subject.lead ? leadName(subject.lead) : 'Open the lead'}</Link>
        {subject.lead ? (
          <div className="muted small">
            <FieldValue field="company" value={subject.lead.company} />
          </div>
        ) : null}
      </>
    )
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
