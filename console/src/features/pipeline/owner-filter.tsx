import { useQuery } from '@tanstack/react-query'
import { api, type Page } from '../../api/client'
import { useSession } from '../../auth/session'
import { SelectField } from '../../ui/field'

interface User {
  id: string
  name: string
}

/**
 * The people who report to the signed-in person: the owners a manager picks from, and
 * names the board can show without looking each one up.
 */
export function useDirectReports(enabled: boolean) {
  const { me } = useSession()
  return useQuery({
    queryKey: ['pipeline', 'reports', me.user.id],
    queryFn: ({ signal }) =>
      api<Page<User>>('/v1/users', {
        query: { managerId: me.user.id, isActive: true, limit: 200 },
        signal,
      }).then((page) => page.items),
    enabled,
    staleTime: 5 * 60_000,
  })
}

/** Whose deals the board shows, among those the role's row scope reaches ('' = all of them). */
export function ownerOptions(scope: string, me: User, reports: readonly User[]) {
  const everyone = scope === 'all' ? 'Everyone' : 'My team'
  return [
    { value: '', label: everyone },
    { value: me.id, label: `Me (${me.name})` },
    ...reports.filter((r) => r.id !== me.id).map((r) => ({ value: r.id, label: r.name })),
  ]
}

export function OwnerFilter({
  value,
  onChange,
  options,
}: {
  value: string
  onChange: (ownerId: string) => void
  options: readonly { value: string; label: string }[]
}) {
  return (
    <SelectField
      label="Owner"
      value={value}
      options={options}
      onChange={(event) => onChange(event.target.value)}
    />
  )
}
