import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query'
import { api, type Page, type Query } from '../../api/client'
import type { LeadSummary } from './lead.types'

/**
 * GET /v1/leads as one growing list. While new filters load, the previous rows stay on
 * screen (marked as updating) instead of the table blinking empty on every keystroke.
 */
export function useLeadList(query: Query) {
  const result = useInfiniteQuery({
    queryKey: ['leads', query],
    queryFn: ({ pageParam, signal }) =>
      api<Page<LeadSummary>>('/v1/leads', { query: { ...query, cursor: pageParam ?? undefined }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  })
  return {
    ...result,
    items: result.data?.pages.flatMap((p) => p.items) ?? [],
    loadMore: () => void result.fetchNextPage(),
  }
}
