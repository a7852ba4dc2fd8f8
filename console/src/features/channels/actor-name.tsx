import { useQuery } from '@tanstack/react-query'
import { api } from '../../api/client'
import { useSession } from '../../auth/session'

/**
 * Who did something, as a name: records keep the actor id (`user:<id>`, `connector:<id>`);
 * a person's is looked up (cached across the page), anything else is shown as it is.
 */
export function ActorName({ actor }: { actor: string }) {
  const { can, me } = useSession()
  const userId = actor.startsWith('user:') ? actor.slice('user:'.length) : null
  const user = useQuery({
    queryKey: ['users', userId],
    queryFn: ({ signal }) => api<{ name: string }>(`/v1/users/${encodeURIComponent(userId!)}`, { signal }),
    enabled: userId !== null && userId !== me.user.id && can('user', 'read'),
    staleTime: 10 * 60_000,
  })
  if (userId === me.user.id) return <>you</>
  return <>{user.data?.name ?? userId ?? actor}</>
}
