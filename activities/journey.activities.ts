import type { JourneyPolicy } from '../domain/journey/journey-policy.js'
import { STAGE_STATUS, type JourneyStage } from '../domain/journey/journey-stage.rules.js'
import { zonesForLead } from '../domain/journey/time-zones.rules.js'
import type { QualificationInput } from '../domain/qualification/qualification.js'
import { recordActivity } from '../ingestion/activity-log.js'
import { marketingChannels } from '../ingestion/consent-state.js'
import { convertLead } from '../crm/conversion.js'
import { saveQualification } from '../crm/qualification.js'
import { escalateTask, type OpenJourneyTask } from '../crm/tasks.js'
import { openContactTask } from './contact-task.js'
import { rerouteOverdueTask, type SlaReroute, type SlaRerouteResult } from '../crm/lead-reroute.js'
import { adjustOpenLeads, lockLeads, OPEN_STATUSES } from '../ingestion/lead-rows.js'
import { asJson, type Db } from '../platform/database/prisma.js'
import { LeadwireError } from '../platform/errors.js'
import { ApplicationFailure } from '@temporalio/activity'
import type { ConversionRequest } from '../workflows/lead-journey.messages.js'

export interface JourneyDeps {
  db: Db
  /** The active journey policy (rule_set kind "journey", or the default). */
  journeyPolicy: () => Promise<JourneyPolicy>
  /** Zone for leads whose country we do not know. */
  defaultTimeZone: string
}

/** What the journey needs to know about its lead: ids, flags and numbers, no personal data. */
export interface JourneyContext {
  found: boolean
  isDuplicate: boolean
  status: string | null
  score: number
  ownerId: string | null
  contactedAt: string | null
  /** Marketing channels allowed now (the worker always sets `sms`; the workflow treats it as optional). */
  channels: { email: boolean; whatsapp: boolean; sms?: boolean }
  zones: string[]
  policy: JourneyPolicy
}

export function createJourneyActivities({ db, journeyPolicy, defaultTimeZone }: JourneyDeps) {
  return {
    async loadJourneyContext(input: { leadId: string }): Promise<JourneyContext> {
      const [lead, policy] = await Promise.all([
        db.lead.findUnique({ where: { id: input.leadId } }),
        journeyPolicy(),
      ])
      if (!lead)
        return {
          found: false,
          isDuplicate: false,
          status: null,
          score: 0,
          ownerId: null,
          contactedAt: null,
          channels: { email: false, whatsapp: false, sms: false },
          zones: [defaultTimeZone],
          policy,
        }
      return {
        found: true,
        isDuplicate: lead.isDuplicate,
        status: lead.status,
        score: lead.score,
        ownerId: lead.ownerId,
        contactedAt: lead.contactedAt?.toISOString() ?? null,
        channels: marketingChannels(lead),
        zones: zonesForLead(
          { timeZone: lead.timeZone, country: lead.country ?? lead.phoneCountry },
          defaultTimeZone,
        ),
        policy,
      }
    },

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

    /**
     * Mirrors the journey's stage into lead.status and journey_stage, with the reason on
     * the timeline and in the decision log. Idempotent; never overwrites a conversion.
     */
    async recordJourneyStage(input: {
      leadId: string
      stage: JourneyStage
      reason: string
      at: string
      contactedAt: string | null
    }): Promise<{ recorded: boolean }> {
      return db.$transaction(async (tx) => {
        const lead = (await lockLeads(tx, [input.leadId])).get(input.leadId)
        if (!lead || lead.status === 'CONVERTED' || lead.journeyStage === input.stage)
          return { recorded: false }
        const status = STAGE_STATUS[input.stage]
        await tx.lead.update({
          where: { id: input.leadId },
          data: {
            status,
            journeyStage: input.stage,
            ...(input.stage === 'Disqualified' ? { disqualifiedReason: input.reason } : {}),
            ...(input.contactedAt && !lead.contactedAt ? { contactedAt: new Date(input.contactedAt) } : {}),
            updatedBy: 'system:journey',
          },
        })
        const wasOpen = OPEN_STATUSES.has(lead.status)
        const isOpen = OPEN_STATUSES.has(status)
        if (lead.ownerId && !lead.isDuplicate && wasOpen !== isOpen)
          await adjustOpenLeads(tx, lead.ownerId, isOpen ? 1 : -1)
        await recordActivity(tx, {
          kind: 'stage_change',
          direction: 'internal',
          subject: `${lead.journeyStage ?? 'New'} → ${input.stage}`,
          details: { from: lead.journeyStage, to: input.stage, reason: input.reason },
          leadId: input.leadId,
          occurredAt: new Date(input.at),
          actorId: 'system:journey',
          dedupeKey: `stage/${input.leadId}/${input.at}/${input.stage}`,
        })
        await tx.leadDecision.create({
          data: {
            leadId: input.leadId,
            kind: 'journey_stage',
            inputs: asJson({ from: lead.journeyStage }),
            outcome: asJson({ stage: input.stage, reason: input.reason }),
            decidedAt: new Date(input.at),
          },
        })
        return { recorded: true }
      })
    },

    /**
     * The owner's contact task. Consent, DND and opt-out are re-read here, as the task opens:
     * a lead that may not be called gets an email or review task instead (activities/contact-task.ts).
     */
    async openSdrTask(input: OpenJourneyTask) {
      const task = await openContactTask(db, input)
      return {
        taskId: task.id,
        dueAt: task.dueAt.toISOString(),
        assigneeId: task.assigneeId,
        status: task.status === 'done' ? ('done' as const) : ('open' as const),
      }
    },

    async escalateSdrTask(input: { taskId: string; dueAt: string }) {
      return escalateTask(db, input.taskId, input.dueAt)
    },

    /** The first-contact SLA missed: the next eligible owner takes the lead and its task (crm/lead-reroute.ts). */
    async rerouteSdrTask(input: SlaReroute): Promise<SlaRerouteResult> {
      return rerouteOverdueTask(db, input)
    },

    async saveQualification(input: {
      leadId: string
      input: QualificationInput
      actorId: string
      at: string
    }) {
      return saveQualification(db, input)
    },

    /** One transaction (crm/conversion.ts). A rule the data breaks is final, not retried. */
    async convertLeadToAccount(input: {
      leadId: string
      request: ConversionRequest
      actorId: string
      requestId?: string | undefined
      at: string
    }) {
      try {
        return await convertLead(db, input)
      } catch (err) {
        if (err instanceof LeadwireError && (err.code === 'rule_violation' || err.code === 'not_found'))
          throw ApplicationFailure.create({
            type: 'ConversionRejected',
            message: err.message,
            nonRetryable: true,
            details: [err.options.errors ?? []],
          })
        throw err
      }
    },
  }
}
