import type { Db } from '../platform/database/prisma.js'

export interface JourneyDeps {
  db: Db
}

export function createJourneyActivities({ db }: JourneyDeps) {
  return {
    /**
     * Marks the lead as handed to its journey. Idempotent: only the first call sets the
     * time, so a retried activity or a replayed start changes nothing.
     */
    async recordJourneyStarted(input: { leadId: string; startedAt: string }): Promise<{ recorded: boolean }> {
      const { count } = await db.lead.updateMany({
        where: { id: input.leadId, journeyStartedAt: null },
        data: { journeyStartedAt: new Date(input.startedAt), updatedBy: 'system:journey' },
      })
      return { recorded: count === 1 }
    },
  }
}
