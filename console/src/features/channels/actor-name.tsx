import { useSession } from '../../auth/session'
import { useRecordNames } from '../../ui/use-record-names'

/**
 * Who did something, as a name: records keep the actor id (`user:<id>`, `connector:<id>`);
 * a person's is looked up (cached across the console), anything else is shown as it is.
 */
export function ActorName({ actor }: { actor: string }) {
  const { can, me } = useSession()
  const userId = actor.startsWith('user:') ? actor.slice('user:'.length) : null
  const names = useRecordNames('users', [userId === me.user.id ? null : userId], can('user', 'read'))
  if (userId === me.user.id) return <>you</>
  return <>{(userId && names.get(userId)) ?? userId ?? actor}</>
}
