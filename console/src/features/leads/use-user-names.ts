import { useQueries } from '@tanstack/react-query'
import { api } from '../../api/client'
import { useSession } from '../../auth/session'

interface User {
  id: string
  name: string
}

/**
 * People's names by id, for owners and actors: one cached read per person (a list shows a
 * handful of owners), and the bare id when the role may not read users.
 */
export function useUserNames(ids: readonly (string | null | undefined)[]): (id: string | null) => string {
  const { me, can } = useSession()
  const wanted = [...new Set(ids.filter((id): id is string => !!id && id !== me.user.id))]
  const results = useQueries({
    queries: wanted.map((id) => ({
      queryKey: ['user', id],
      queryFn: () => api<User>(`/v1/users/${encodeURIComponent(id)}`),
      enabled: can('user', 'read'),
      staleTime: 10 * 60_000,
      retry: false,
    })),
  })
  const names = new Map<string, string>()
  results.forEach((r, i) => {
    if (r.data) names.set(wanted[i]!, r.data.name)
  })
  return (id) => {
    if (!id) return 'Unassigned'
    if (id === me.user.id) return `${me.user.name} (you)`
    return names.get(id) ?? id
  }
}
