import { useSession } from '../../auth/session'
import { useRecordNames } from '../../ui/use-record-names'
import type { Task } from './task.types'

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
  const accountIds = tasks.map((t) => (!t.leadId ? t.accountId : null))
  const accountNames = useRecordNames('accounts', accountIds, can('account', 'read'))

  return (task) => {
    if (task.leadId) return { kind: 'lead', id: task.leadId, name: task.leadName ?? null }
    if (task.accountId) {
      const name = accountNames.get(task.accountId)
      return { kind: 'account', id: task.accountId, name: name ?? null, missing: name === null }
    }
    if (task.ticketId) return { kind: 'other', label: 'A support ticket' }
    if (task.invoiceId) return { kind: 'other', label: 'An invoice' }
    if (task.contractId) return { kind: 'other', label: 'A contract' }
    if (task.opportunityId) return { kind: 'other', label: 'An opportunity' }
    return null
  }
}
