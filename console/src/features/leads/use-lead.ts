import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useRef, useState } from 'react'
import { api, type Page } from '../../api/client'
import { useSession } from '../../auth/session'
import type { Activity, JourneyView, Lead, StoredQualification } from './lead.types'

/*
 * The lead page's reads, each under ['lead', id, …] so one invalidation refreshes the page.
 * The journey moves on its own time: a signal (a completed task, an engagement) reaches it
 * through the outbox a moment after the API answered. After such an action the page asks the
 * journey again every second until it has moved (or 20 seconds passed), then refreshes the
 * lead and its timeline, which the journey's stage change also writes to.
 */

export const leadKey = (id: string) => ['lead', id] as const

export function useLead(id: string) {
  return useQuery({
    queryKey: [...leadKey(id), 'detail'],
    queryFn: ({ signal }) => api<Lead>(`/v1/leads/${id}`, { signal }),
  })
}

const WATCH_MS = 20_000

export function useJourney(id: string) {
  const { can } = useSession()
  const queryClient = useQueryClient()
  const [watchSince, setWatchSince] = useState<number | null>(null)
  const journey = useQuery({
    queryKey: [...leadKey(id), 'journey'],
    queryFn: ({ signal }) => api<JourneyView>(`/v1/leads/${id}/journey`, { signal }),
    enabled: can('journey', 'read'),
    refetchInterval: watchSince !== null ? 1000 : false,
  })
  const data = journey.data
  // What the journey has done so far; when it changes, the lead and its timeline have too.
  const fingerprint = data
    ? [
        data.stage,
        data.score,
        data.contactedAt ?? '',
        data.tasks?.map((t) => `${t.taskId}:${t.status}`).join(',') ?? '',
        data.sequence?.stoppedReason ?? '',
      ].join('|')
    : null
  const baseline = useRef<string | null>(null)
  useEffect(() => {
    if (fingerprint === null) return
    if (baseline.current !== null && baseline.current !== fingerprint) {
      void queryClient.invalidateQueries({
        queryKey: leadKey(id),
        predicate: (q) => q.queryKey[2] !== 'journey',
      })
      setWatchSince(null)
    }
    baseline.current = fingerprint
  }, [fingerprint, id, queryClient])
  // The window closes by itself: a journey that did not move in 20 s is not polled forever.
  useEffect(() => {
    if (watchSince === null) return
    const timer = window.setTimeout(() => setWatchSince(null), WATCH_MS)
    return () => window.clearTimeout(timer)
  }, [watchSince])
  const watch = useCallback(() => setWatchSince(Date.now()), [])
  return { ...journey, watching: watchSince !== null, watch }
}

export function useTimeline(id: string) {
  const { can } = useSession()
  const result = useInfiniteQuery({
    queryKey: [...leadKey(id), 'timeline'],
    queryFn: ({ pageParam, signal }) =>
      api<Page<Activity>>(`/v1/leads/${id}/timeline`, {
        query: { limit: 25, cursor: pageParam ?? undefined },
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: can('activity', 'read'),
  })
  return {
    ...result,
    items: result.data?.pages.flatMap((p) => p.items) ?? [],
    loadMore: () => void result.fetchNextPage(),
  }
}

export function useQualification(id: string) {
  const { can } = useSession()
  return useQuery({
    queryKey: [...leadKey(id), 'qualification'],
    queryFn: ({ signal }) => api<StoredQualification>(`/v1/leads/${id}/qualification`, { signal }),
    enabled: can('journey', 'read'),
  })
}

/** After a write: everything on the lead page, the lead lists and the task inbox may have changed. */
export function useRefreshLead(id: string) {
  const queryClient = useQueryClient()
  return useCallback(async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: leadKey(id) }),
      queryClient.invalidateQueries({ queryKey: ['leads'] }),
      queryClient.invalidateQueries({ queryKey: ['tasks'] }),
    ])
  }, [queryClient, id])
}
