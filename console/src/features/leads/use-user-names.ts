import { useSession } from '../../auth/session'
import { useRecordNames } from '../../ui/use-record-names'

/**
 * People's names by id, for owners and actors (one cached read per person, shared with every
 * page), and the bare id when the role may not read users.
 */
export function useUserNames(ids: readonly (string | null | undefined)[]): (id: string | null) => string {
  const { me, can } = useSession()
  const names = useRecordNames(
    'users',
    ids.filter((id) => id !== me.user.id),
    can('user', 'read'),
  )
  return (id) => {
    if (!id) return 'Unassigned'
    if (id === me.user.id) return `${me.user.name} (you)`
    return names.get(id) ?? id
  }
}
