import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query'
import { api, type Page, type Query } from '../../api/client'
import type { Task } from './task.types'

/*
 * The signed-in person's open tasks in four buckets, each its own cursor-paged list under
 * ['tasks', 'inbox', …]. All four load at once (one small request each) so every tab shows
 * its count and switching tabs is instant. Buckets follow the API: overdue is past due;
 * today is due later today in the browser's time zone;
 * upcoming is due after today; snoozed is hidden until a time still to come.
 */

export const BUCKETS = [
  { id: 'overdue', label: 'Overdue' },
  { id: 'today', label: 'Today' },
  { id: 'upcoming', label: 'Upcoming' },
  { id: 'snoozed', label: 'Snoozed' },
] as const
export type Bucket = (typeof BUCKETS)[number]['id']

const PAGE = 100

function queryOf(bucket: Bucket, tz: string): Query {
  const base = { assigneeId: 'me', status: 'open', limit: PAGE }
  return bucket === 'snoozed' ? { ...base, includeSnoozed: true } : { ...base, due: bucket, tz }
}

export function useTaskBucket(bucket: Bucket, tz: string) {
  const query = queryOf(bucket, tz)
  const result = useInfiniteQuery({
    queryKey: ['tasks', 'inbox', bucket, tz],
    queryFn: ({ pageParam, signal }) =>
      api<Page<Task>>('/v1/tasks', { query: { ...query, cursor: pageParam ?? undefined }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
    // An inbox left open all day: refresh it now and then, as tasks fall due.
    refetchInterval: 60_000,
  })
  const all = result.data?.pages.flatMap((p) => p.items) ?? []
  // The API lists snoozed tasks among all open ones; that tab keeps only those. Its "today"
  // also holds what fell due earlier today, which the Overdue tab shows: tabs do not overlap.
  const items =
    bucket === 'snoozed'
      ? all.filter((t) => t.snoozed)
      : bucket === 'today'
        ? all.filter((t) => !t.overdue)
        : all
  return {
    ...result,
    items,
    count: result.data ? `${items.length}${result.hasNextPage ? '+' : ''}` : null,
    loadMore: () => void result.fetchNextPage(),
  }
}
