import { useQueries } from '@tanstack/react-query'
import { api, ApiError } from '../api/client'

/*
 * Names for the ids a record carries (a deal's account and owner, a lead's owner, who
 * changed a form). Lists return ids only, so each distinct one is read once and shared by
 * every page through one cache key; a record the caller may not see (404) or may not read
 * (403) has no name rather than an error.
 */

/** id → name; null when the caller may not see it; absent while loading. */
export type Names = ReadonlyMap<string, string | null>

const FIVE_MINUTES = 5 * 60_000

export function useRecordNames(
  kind: 'accounts' | 'users',
  ids: readonly (string | null | undefined)[],
  enabled = true,
): Names {
  const unique = [...new Set(ids.filter((id): id is string => Boolean(id)))].sort()
  return useQueries({
    queries: unique.map((id) => ({
      queryKey: ['name', kind, id],
      queryFn: async ({ signal }: { signal: AbortSignal }) => {
        try {
          const record = await api<{ name: string }>(`/v1/${kind}/${encodeURIComponent(id)}`, { signal })
          return record.name
        } catch (error) {
          if (error instanceof ApiError && (error.status === 404 || error.status === 403)) return null
          throw error
        }
      },
      enabled,
      staleTime: FIVE_MINUTES,
    })),
    combine: (results) => {
      const names = new Map<string, string | null>()
      results.forEach((r, i) => {
        // A role that may not read the kind at all sees no names, rather than "loading" forever.
        if (!enabled) names.set(unique[i]!, null)
        else if (r.data !== undefined) names.set(unique[i]!, r.data)
      })
      return names
    },
  })
}
