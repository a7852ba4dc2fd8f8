import { refreshAccountHealth } from '../crm/account-health.js'
import type { Db } from '../platform/database/prisma.js'

export function createAccountActivities({ db }: { db: Db }) {
  return {
    /** Health and lifecycle stage from the account's timeline and deals (idempotent). */
    async refreshAccountHealth(input: { accountId: string }) {
      return refreshAccountHealth(db, input.accountId)
    },
  }
}
