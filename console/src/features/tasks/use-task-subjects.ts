import { useQueries } from '@tanstack/react-query'
import { api, ApiError } from '../../api/client'
import { useSession } from '../../auth/session'
import type { Lead } from '../leads/lead.types'
import type { Task } from './task.types'

interface Account {
  id: string
  name: string
}

export type Subject =
  | { kind: 'lead'; id: string; lead: Lead | null; missing: boolean }
  | { kind: 'account'; id: string; name: string | null; missing: boolean }
  | { kind: 'other'; label: string }
  | null

/**
 * Who each task is about: its lead (shared with the lead page's cache) or its account, read
 * once per record on the screen. A record the person may not see stays an id.
 */
export function useTaskSubjects(tasks: readonly Task[]): (task: Task) => Subject {
  const { can } = useSession()
  const leadIds = [...new Set(tasks.flatMap((t) => (t.leadId ? [t.leadId] : [])))]
  const accountIds = [...new Set(tasks.flatMap((t) => (!t.leadId && t.accountId ? [t.accountId] : [])))]
  const leads = useQueries({
    queries: leadIds.map((id) => ({
      queryKey: ['lead', id, 'detail'],
      queryFn: ({ signal }: { signal: AbortSignal }) => api<Lead>(`/v1/leads/${id}`, { signal }),
      enabled: can('lead', 'read'),
      staleTime: 60_000,
      retry: false,
    })),
  })
  const accounts = useQueries({
    queries: accountIds.map((id) => ({
      queryKey: ['account', id],
      queryFn: ({ signal }: { signal: AbortSignal }) => api<Account>(`/v1/accounts/${id}`, { signal }),
      enabled: can('account', 'read'),
      staleTime: 5 * 60_000,
      retry: false,
    })),
  })
  const leadById = new Map(leadIds.map((id, i) => [id, leads[i]!] as const))
  const accountById = new Map(accountIds.map((id, i) => [id, accounts[i]!] as const))
  const gone = (error: unknown) => error instanceof ApiError && (error.status === 404 || error.status === 403)

  return (task) => {
    if (task.leadId) {
      const q = leadById.get(task.leadId)
      return { kind: 'lead', id: task.leadId, lead: q?.data ?? null, missing: gone(q?.error) }
    }
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
