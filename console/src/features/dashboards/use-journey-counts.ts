import { useQuery } from '@tanstack/react-query'
import { api } from '../../api/client'

/** GET /v1/journeys/counts (api/routes/journeys): running lead journeys by code version and by stage. */
export interface JourneyCounts {
  running: number
  byVersion: { version: string; running: number }[]
  byStage: { stage: string; running: number }[]
}

/**
 * The counts as Temporal's visibility store has them now. They move as a deploy rolls
 * through (journeys upgrade at their next step), so they are refetched every minute.
 */
export function useJourneyCounts() {
  return useQuery({
    queryKey: ['journeys', 'counts'],
    queryFn: ({ signal }) => api<JourneyCounts>('/v1/journeys/counts', { signal }),
    staleTime: 30_000,
    refetchInterval: 60_000,
  })
}
