import { useTabKeys } from '../../ui/use-tab-keys'
import { BUCKETS, type Bucket } from './use-task-inbox'

/**
 * The inbox's tabs (WAI-ARIA tabs): one tab stop, arrow keys and Home/End move between
 * tabs and select them, each tab carries its count.
 */
export function BucketTabs({
  current,
  counts,
  onSelect,
}: {
  current: Bucket
  counts: Record<Bucket, string | null>
  onSelect: (bucket: Bucket) => void
}) {
  const { tabRef, onKeyDown } = useTabKeys(
    BUCKETS.map((b) => b.id),
    onSelect,
  )
  return (
    <div className="bucket-tabs" role="tablist" aria-label="Tasks by due date">
      {BUCKETS.map((b, i) => {
        const selected = b.id === current
        const count = counts[b.id]
        return (
          <button
            key={b.id}
            ref={tabRef(b.id)}
            type="button"
            role="tab"
            id={`tab-${b.id}`}
            aria-selected={selected}
            aria-controls="tasks-panel"
            tabIndex={selected ? 0 : -1}
            className={`bucket-tab${b.id === 'overdue' && count && count !== '0' ? ' has-overdue' : ''}`}
            onClick={() => onSelect(b.id)}
            onKeyDown={(e) => onKeyDown(e, i)}
          >
            {b.label}
            {count !== null ? <span className="bucket-count">{count}</span> : null}
          </button>
        )
      })}
    </div>
  )
}
