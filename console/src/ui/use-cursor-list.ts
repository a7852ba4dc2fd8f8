import { useInfiniteQuery } from '@tanstack/react-query'
import { api, type Page, type Query } from '../api/client'

/**
 * A cursor-paged list endpoint as one growing list: `loadMore` fetches the page after the
 * last one (`cursor` = the previous `nextCursor`), as every Leadwire list pages.
 */
export function useCursorList<T>(key: readonly unknown[], path: string, query: Query = {}) {
  const result = useInfiniteQuery({
    queryKey: [...key, path, query],
    queryFn: ({ pageParam, signal }) =>
      api<Page<T>>(path, { query: { ...query, cursor: pageParam ?? undefined }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  })
  return {
    ...result,
    items: result.data?.pages.flatMap((p) => p.items) ?? [],
    loadMore: () => void result.fetchNextPage(),
  }
}
