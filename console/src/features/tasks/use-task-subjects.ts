import { useQueries } from '@tanstack/react-query'
import { api, ApiError } from '../../api/client'
import { useSession } from '../../auth/session'
import type { Task } from './task.types'

interface Account {
  id: string
  name: string
}

export type Subject =
  | { kind: 'lead'; id: string; name: string | null }
  | { kind: 'account'; id: string; name: string | null; missing: boolean }
  | { kind: 'other'; label: string }
  | null

/**
 * Who each task is about: its lead, named by the inbox itself (no read per row), or its
 * account, read once per account on the screen. An account the person may not see stays an id.
 */
export function useTaskSubjects(tasks: readonly Task[]): (task: Task) => Subject {
  const { can } = useSession()
  const accountIds = [...new Set(tasks.flatMap((t) => (!t.leadId && t.accountId ? [t.accountId] : [])))]
  const accounts = useQueries({
    queries: accountIds.map((id) => ({
      queryKey: ['account', id],
      queryFn: ({ signal }: { signal: AbortSignal }) => api<Account>(`/v1/accounts/${id}`, { signal }),
      enabled: can('account', 'read'),
      staleTime: 5 * 60_000,
      retry: false,
    })),
  })
  const accountById = new Map(accountIds.map((id, i) => [id, accounts[i]!] as const))
  const gone = (error: unknown) => error instanceof ApiError && (error.status === 404 || error.status === 403)

  return (task) => {
    if (task.leadId) return { kind: 'lead', id: task.leadId, name: task.leadName ?? null }
    if (task.accountId) {
      const q = accountById.get(task.accountId)
      return { kind: 'account', id: task.accountId, name: q?.data?.name ?? null, missing: gone(q?.error) }
    }
    if (task.ticketId) return { kind: 'other', label: 'A support ticket' }
    if (task.invoiceId) return { kind: 'other', label: 'An invoice' }
    if (task.contractId) return { kind: 'other', label: 'A contract' }
    if (task.opportunityId) return { kind: 'other', label: 'An opportunity' }
    return null
  }
}
