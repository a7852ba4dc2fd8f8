import type { ReactNode } from 'react'
import { useSession } from '../../auth/session'

/**
 * A lead field as the caller may see it: a field their role hides reads as null from the API,
 * and says so here rather than looking empty.
 */
export function FieldValue({
  object = 'lead',
  field,
  value,
  children,
}: {
  object?: string
  field: string
  value: unknown
  /** How to show a present value; default its text. */
  children?: ReactNode
}) {
  const { fieldAccess } = useSession()
  if (value === null || value === undefined || value === '') {
    if (fieldAccess(object, field) === 'hidden') return <span className="muted">Hidden for your role</span>
    return <span className="muted">—</span>
  }
  return <>{children ?? String(value)}</>
}
