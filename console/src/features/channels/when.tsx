import { formatDateTime, formatRelative } from '../../ui/format'

/** A moment as "3 minutes ago", with the exact date and time on hover and for machines. */
export function When({ iso, never = 'Never' }: { iso: string | null | undefined; never?: string }) {
  if (!iso) return <span className="muted">{never}</span>
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso)}
    </time>
  )
}
