import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { api, type Query } from '../../api/client'

/**
 * One report for the chosen period. Changing the period or a report's options keeps the
 * previous figures on screen (marked busy) until the new ones arrive, so nothing flashes.
 */
export function useReport<T>(name: 'funnel' | 'attribution' | 'sdr-performance' | 'pipeline', query: Query) {
  return useQuery({
    queryKey: ['dashboards', name, query],
    queryFn: ({ signal }) => api<T>(`/v1/reports/${name}`, { query, signal }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  })
}
