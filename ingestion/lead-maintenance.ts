import { companyBlockKey, fuzzyKey, matchKeys, trigramSimilarity } from '../domain/dedupe/match-keys.rules.js'
import { mergeLeads } from '../domain/dedupe/merge.rules.js'
import type { DraftLead } from '../domain/lead/draft-lead.js'
import {
  CONTACT_CHANNELS,
  type Actor,
  type ContactChannel,
  type LeadCapture,
} from '../domain/lead/lead-capture.js'
import { withdrawConsent } from '../domain/consent/consent.rules.js'
import { consentStateOf, marketingChannels } from './consent-state.js'
import { normaliseCapture } from '../domain/lead/normalise.rules.js'
import { validateLead } from '../domain/lead/validate.rules.js'
import { scoreLead } from '../domain/scoring/score.rules.js'
import type { EngagementEvent } from '../domain/scoring/scoring-rules.js'
import { CONTACT_EVENTS } from '../domain/journey/journey-stage.rules.js'
import { recordActivity } from './activity-log.js'
import {
  claimDelivery,
  deliveryActivityKey,
  type Delivery,
  type DeliveryOutcome,
  type DeliveryRecord,
} from './inbound-delivery.js'
import type { Prisma } from '../generated/prisma/client.js'
import { fieldChanges } from '../platform/audit.js'
import { asJson, type Db } from '../platform/database/prisma.js'
import { ConflictError, DomainRuleError, HeldByAnotherError, NotFoundError } from '../platform/errors.js'
import { applyScore } from './apply-score.js'
import { auditLead } from './lead-audit.js'
import { adjustOpenLeads, closeOpenTasks, lockLeads, OPEN_STATUSES, rowToDraft } from './lead-rows.js'
import { enqueue } from './outbox/outbox.repository.js'
import type { RuleCache } from './rules/active-rules.js'
import type { IngestionPolicy } from './steps/assess.js'

export interface LeadMaintenanceDeps {
  db: Db
  rules: RuleCache
  policy: IngestionPolicy
  clock?: () => Date
}

/** Manual dedupe decisions and edits: each one transactional and recorded as a decision. */
/**
 * A redelivered engagement's answer: the first delivery's result. That may be a capture's
 * (the first delivery made the lead): the ledger row's own lead and activity keep the
 * answer's ids right whichever path the first delivery took.
 */
export function engagementReplay(earlier: DeliveryRecord<unknown>): EngagementResult {
  const first = earlier.result as EngagementResult
  return {
    ...first,
    leadId: earlier.leadId ?? first.leadId,
    activityId: earlier.activityId ?? first.activityId,
    duplicate: true,
  }
}

export function createLeadMaintenance(deps: LeadMaintenanceDeps) {
  const clock = deps.clock ?? (() => new Date())

  return {
    /**
     * Folds `duplicateId` into `masterId` by the merge policy: empty master fields filled,
     * engagement summed, match keys and earlier duplicates moved to the master, touches
     * kept (attribution reads the master and its duplicates), the duplicate linked, never deleted.
     */
    async merge(masterId: string, duplicateId: string, actor: Actor, requestId?: string) {
      if (masterId === duplicateId)
        throw new DomainRuleError('A lead cannot be merged into itself.', [
          { pointer: '/body/duplicateId', message: 'is the master itself' },
        ])
      return deps.db.$transaction(async (tx) => {
        const rows = await lockLeads(tx, [masterId, duplicateId])
        const master = rows.get(masterId)
        const duplicate = rows.get(duplicateId)
        if (!master) throw new NotFoundError('lead', masterId)
        if (!duplicate) throw new NotFoundError('lead', duplicateId)
        if (master.isDuplicate) {
          throw new DomainRuleError(
            `Lead ${masterId} is itself a duplicate of ${master.duplicateOfId}: merge into that master.`,
          )
        }
        if (duplicate.duplicateOfId === masterId)
          throw new ConflictError(`Lead ${duplicateId} is already merged into ${masterId}.`)
        const { patch, filled } = mergeLeads(rowToDraft(master) as never, rowToDraft(duplicate) as never)
        const engagement = { ...(master.engagement as Record<string, number>) }
        for (const [event, n] of Object.entries(duplicate.engagement as Record<string, number>)) {
          engagement[event] = (engagement[event] ?? 0) + n
        }
        const scoredLead = { ...rowToDraft(master), ...(patch as Partial<DraftLead>) }
        const score = scoreLead({ lead: scoredLead, engagement }, (await deps.rules.get()).scoring)
        await applyScore(tx, {
          leadId: masterId,
          score,
          scoredLead,
          engagement,
          cause: `merge of ${duplicateId}`,
          actorId: actor.id,
          at: clock(),
          changes: patch as Prisma.LeadUpdateInput,
        })
        await tx.lead.update({
          where: { id: duplicateId },
          data: {
            isDuplicate: true,
            duplicateOfId: masterId,
            duplicateReason: asJson({ kind: 'manual', by: actor.id }),
            updatedBy: actor.id,
          },
        })
        await tx.lead.updateMany({ where: { duplicateOfId: duplicateId }, data: { duplicateOfId: masterId } })
        await tx.leadMatchKey.updateMany({ where: { leadId: duplicateId }, data: { leadId: masterId } })
        if (duplicate.ownerId && OPEN_STATUSES.has(duplicate.status) && !duplicate.isDuplicate) {
          await adjustOpenLeads(tx, duplicate.ownerId, -1)
        }
        await tx.leadDecision.create({
          data: {
            leadId: masterId,
            kind: 'merge',
            ruleVersion: score.version,
            inputs: asJson({ masterId, duplicateId, by: actor.id }),
            outcome: asJson({ filled, score: score.score }),
            decidedAt: clock(),
          },
        })
        const audit = { actor, requestId }
        await auditLead(tx, audit, masterId, 'merge', {
          duplicateId: { from: null, to: duplicateId },
          ...fieldChanges(
            { ...rowToDraft(master), score: master.score },
            { ...(patch as Partial<DraftLead>), score: score.score },
          ),
        })
        await auditLead(
          tx,
          audit,
          duplicateId,
          'merge',
          fieldChanges(duplicate, { isDuplicate: true, duplicateOfId: masterId }),
        )
        // The duplicate's own journey (if it had one) ends: its master's journey carries on,
        // and the duplicate's open tasks close with it rather than linger in an SDR's inbox.
        if (!duplicate.isDuplicate) {
          await closeOpenTasks(tx, duplicateId, 'merged', actor.id, clock())
          await enqueue(tx, 'lead.merged', duplicateId, { leadId: duplicateId, masterId }, undefined)
        }
        return { masterId, duplicateId, filled: filled.map(String), score: score.score }
      })
    },

    /** Unlinks a lead flagged as a duplicate: it becomes a master with its own journey. */
    async markNotDuplicate(id: string, actor: Actor, requestId?: string) {
      return deps.db.$transaction(async (tx) => {
        const lead = (await lockLeads(tx, [id])).get(id)
        if (!lead) throw new NotFoundError('lead', id)
        if (!lead.isDuplicate) throw new ConflictError(`Lead ${id} is not marked as a duplicate.`)
        await tx.lead.update({
          where: { id },
          data: {
            isDuplicate: false,
            duplicateOfId: null,
            duplicateReason: asJson({ kind: 'not_duplicate', by: actor.id, was: lead.duplicateOfId }),
            updatedBy: actor.id,
          },
        })
        await tx.leadDecision.create({
          data: {
            leadId: id,
            kind: 'not_duplicate',
            inputs: asJson({ by: actor.id, was: lead.duplicateOfId }),
            outcome: asJson({ master: true }),
            decidedAt: clock(),
          },
        })
        await auditLead(
          tx,
          { actor, requestId },
          id,
          'not_duplicate',
          fieldChanges(lead, { isDuplicate: false, duplicateOfId: null }),
        )
        await enqueue(tx, 'lead.unmerged', id, { leadId: id }, undefined)
        return { id, duplicateOf: null }
      })
    },

    /** Edits identity and qualification fields; contact points are normalised, validated and re-keyed. */
    /** Edits identity and qualification fields. The status is the journey's to change (disqualify, recycle, convert). */
    async update(id: string, changes: Omit<LeadCapture, 'channel'>, actor: Actor, requestId?: string) {
      const rules = await deps.rules.get()
      return deps.db.$transaction(async (tx) => {
        const lead = (await lockLeads(tx, [id])).get(id)
        if (!lead) throw new NotFoundError('lead', id)
        const fields = changes
        const current = rowToDraft(lead)
        const normalised = normaliseCapture(
          { ...fields, channel: current.channel },
          {
            receivedAt: clock().toISOString(),
            defaultCountry: deps.policy.defaultCountry,
          },
        )
        const patch: Partial<DraftLead> = {}
        for (const key of Object.keys(fields) as (keyof DraftLead)[]) {
          ;(patch as Record<string, unknown>)[key] = normalised[key]
        }
        if ('email' in fields) Object.assign(patch, { emailDomain: normalised.emailDomain })
        if ('website' in fields || 'email' in fields)
          Object.assign(patch, { companyDomain: normalised.companyDomain ?? current.companyDomain })
        if ('phone' in fields) Object.assign(patch, { phoneCountry: normalised.phoneCountry })
        const next = { ...current, ...patch }
        const errors = validateLead(
          next,
          { ...fields, channel: current.channel },
          { ...deps.policy.validation, requireConsentCountries: [], requireConsentChannels: [] },
        ).filter((i) => i.severity === 'error' && i.field in fields)
        if (errors.length)
          throw new DomainRuleError(
            errors.map((e) => e.message).join(' '),
            errors.map((e) => ({ pointer: `/body/${e.field}`, message: e.message })),
          )
        // New contact points become this lead's match keys, unless another lead owns them.
        if (!lead.isDuplicate) {
          const newKeys = matchKeys(next).filter((k) => !matchKeys(current).includes(k))
          for (const key of newKeys) {
            const owner = await tx.leadMatchKey.findUnique({ where: { key } })
            if (owner && owner.leadId !== id)
              throw new HeldByAnotherError(
                `Lead ${owner.leadId} already has ${key.split(':')[0]} ${key.slice(key.indexOf(':') + 1)}: merge the two leads instead.`,
                { kind: 'lead', id: owner.leadId },
                { message: `Another lead already has this ${key.split(':')[0]}.` },
              )
            if (!owner) await tx.leadMatchKey.create({ data: { key, leadId: id } })
          }
        }
        const score = scoreLead(
          { lead: next, engagement: lead.engagement as Record<string, number> },
          rules.scoring,
        )
        const updated = await applyScore(tx, {
          leadId: id,
          score,
          scoredLead: next,
          engagement: lead.engagement as Record<string, number>,
          cause: 'update',
          actorId: actor.id,
          at: clock(),
          changes: {
            ...(patch as Prisma.LeadUpdateInput),
            fuzzyKey: fuzzyKey(next),
            companyKey: companyBlockKey(next),
          },
        })
        // The fields the caller sent, as stored (normalised), and the score they moved.
        const sent = Object.fromEntries(Object.keys(fields).map((k) => [k, patch[k as keyof DraftLead]]))
        await auditLead(
          tx,
          { actor, requestId },
          id,
          'update',
          fieldChanges({ ...current, score: lead.score }, { ...sent, score: score.score }),
        )
        return updated
      })
    },

    /**
     * Records an engagement event (email open, click, reply, call, visit...) on a lead: an
     * entry on its timeline, the counter the scoring rules read, a rescore with the active
     * rules, and an outbox event that tells the journey, all in one transaction. A
     * duplicate's events count on its master. With an `eventId` (the channel's delivery
     * id) a redelivered event is recognised and counted once.
     */
    async recordEngagement(
      id: string,
      event: EngagementEvent,
      actor: Actor,
      options: {
        occurredAt?: string | undefined
        eventId?: string | undefined
        requestId?: string | undefined
        /** A connector's delivery, claimed in this transaction (exactly-once intake). */
        delivery?: Delivery | undefined
        /** The timeline entry as the channel tells it (a WhatsApp message, a call), instead of the generic one. */
        activity?: EngagementActivity | undefined
      } = {},
    ) {
      const rules = await deps.rules.get()
      return deps.db.$transaction(async (tx) => {
        const delivery = options.delivery
          ? await claimDelivery<EngagementResult>(tx, options.delivery, clock())
          : undefined
        if (delivery?.earlier) return engagementReplay(delivery.earlier)
        const found = (await lockLeads(tx, [id])).get(id)
        if (!found) throw new NotFoundError('lead', id)
        const lead = found.duplicateOfId
          ? (await lockLeads(tx, [found.duplicateOfId])).get(found.duplicateOfId)!
          : found
        const occurredAt = options.occurredAt ? new Date(options.occurredAt) : clock()
        const activity = await recordActivity(tx, {
          kind: options.activity?.kind ?? ENGAGEMENT_ACTIVITY_KINDS[event],
          direction: 'inbound',
          subject: options.activity?.subject ?? ENGAGEMENT_LABELS[event],
          details: {
            event,
            ...options.activity?.details,
            ...(found.id !== lead.id ? { via: found.id } : {}),
          },
          leadId: lead.id,
          occurredAt,
          actorId: actor.id,
          dedupeKey: options.eventId
            ? `engagement/${options.eventId}`
            : options.delivery
              ? deliveryActivityKey(options.delivery)
              : null,
        })
        const current = lead.engagement as Record<string, number>
        const remember = async (result: EngagementResult) => {
          await delivery?.remember({ outcome: 'activity', leadId: lead.id, activityId: activity.id, result })
          return result
        }
        if (!activity.created) {
          return remember({
            leadId: lead.id,
            score: lead.score,
            explanation: lead.scoreExplanation ?? '',
            engagement: current,
            activityId: activity.id,
            duplicate: true,
          })
        }
        const engagement = { ...current, [event]: (current[event] ?? 0) + 1 }
        const score = scoreLead({ lead: rowToDraft(lead), engagement }, rules.scoring)
        await applyScore(tx, {
          leadId: lead.id,
          score,
          scoredLead: rowToDraft(lead),
          engagement,
          cause: event,
          actorId: actor.id,
          at: clock(),
          changes: {
            lastEngagedAt: occurredAt,
            ...(CONTACT_EVENTS.has(event) && !lead.contactedAt ? { contactedAt: occurredAt } : {}),
          },
        })
        await enqueue(
          tx,
          'lead.engaged',
          lead.id,
          {
            leadId: lead.id,
            event,
            activityId: activity.id,
            occurredAt: occurredAt.toISOString(),
            score: score.score,
          },
          options.requestId,
        )
        // The event's name only: the score and counters it moved are on the lead's timeline.
        await auditLead(tx, { actor, requestId: options.requestId }, lead.id, 'engagement', {
          event: { from: null, to: event },
        })
        return remember({
          leadId: lead.id,
          score: score.score,
          explanation: score.explanation,
          engagement,
          activityId: activity.id,
          duplicate: false,
        })
      })
    },

    /**
     * Records a consent change (an opt-in, an opt-out, a DND registry result) on the lead
     * and in the append-only consent history. When it changes which channels may carry
     * marketing, the journey hears of it through the outbox, in the same transaction: a
     * sequence waiting for its next email stops before that email, and the send activity
     * re-reads consent anyway.
     */
    async recordConsentChange(
      id: string,
      change: ConsentChange,
      actor: Actor,
      requestId?: string,
      /** A connector's delivery (an unsubscribe event), claimed in this transaction. */
      delivery?: Delivery,
    ): Promise<ConsentChangeResult> {
      return deps.db.$transaction(async (tx) => {
        const claim = delivery ? await claimDelivery<ConsentChangeResult>(tx, delivery, clock()) : undefined
        if (claim?.earlier) return { ...claim.earlier.result, duplicate: true }
        const found = (await lockLeads(tx, [id])).get(id)
        if (!found) throw new NotFoundError('lead', id)
        const lead = found.duplicateOfId
          ? (await lockLeads(tx, [found.duplicateOfId])).get(found.duplicateOfId)!
          : found
        const at = change.at ? new Date(change.at) : clock()
        const before = marketingChannels(lead)
        const state = consentStateOf(lead)
        const next =
          change.status === 'withdrawn'
            ? withdrawConsent(state, at.toISOString(), change.reason ?? '')
            : change.status === 'granted'
              ? {
                  ...state,
                  status: 'granted' as const,
                  grantedChannels: change.channels ?? [...CONTACT_CHANNELS],
                  optInAt: at.toISOString(),
                }
              : state
        const dnd = change.dnd ?? lead.dnd
        const consent = {
          consentStatus: next.status,
          consentChannels: next.grantedChannels,
          optInAt: next.optInAt ? new Date(next.optInAt) : null,
          optOutAt: next.optOutAt ? new Date(next.optOutAt) : null,
          optOutReason: next.optOutReason,
          dnd,
          ...(change.status === 'granted'
            ? {
                consentAt: at,
                consentSource: change.source,
                consentTextVersion: change.textVersion ?? null,
              }
            : {}),
        }
        const updated = await tx.lead.update({
          where: { id: lead.id },
          data: { ...consent, updatedBy: actor.id },
        })
        const consentChanges = fieldChanges(lead, consent)
        if (Object.keys(consentChanges).length > 0)
          await auditLead(tx, { actor, requestId }, lead.id, 'consent', consentChanges)
        const record = await tx.consentRecord.create({
          data: {
            leadId: lead.id,
            status: next.status,
            channels: next.grantedChannels,
            source: change.source,
            textVersion: change.textVersion ?? null,
            text: change.text ?? null,
            at,
            dnd,
            recordedBy: actor.id,
          },
        })
        const after = marketingChannels(updated)
        if (after.email !== before.email || after.whatsapp !== before.whatsapp || after.sms !== before.sms) {
          const reason =
            change.status === 'withdrawn' ? 'opted_out' : dnd && !lead.dnd ? 'dnd' : 'consent_given'
          await enqueue(
            tx,
            'lead.contactability_changed',
            lead.id,
            { leadId: lead.id, ...after, reason, at: at.toISOString() },
            requestId,
          )
        }
        const result: ConsentChangeResult = {
          leadId: lead.id,
          consentRecordId: record.id.toString(),
          status: next.status,
          channels: next.grantedChannels,
          dnd,
          marketing: after,
          duplicate: false,
        }
        await claim?.remember({ outcome: 'consent' satisfies DeliveryOutcome, leadId: lead.id, result })
        return result
      })
    },

    /** Which existing leads a person would match, without writing anything. */
    async checkDuplicates(capture: Omit<LeadCapture, 'channel'>) {
      const draft = normaliseCapture(
        { ...capture, channel: 'api' },
        { receivedAt: clock().toISOString(), defaultCountry: deps.policy.defaultCountry },
      )
      const keys = matchKeys(draft)
      const exact = keys.length ? await deps.db.leadMatchKey.findMany({ where: { key: { in: keys } } }) : []
      const matches: {
        leadId: string
        kind: 'email' | 'phone' | 'fuzzy'
        key: string
        similarity: number
      }[] = exact.map((m) => ({
        leadId: m.leadId,
        kind: m.key.startsWith('email:') ? 'email' : 'phone',
        key: m.key,
        similarity: 1,
      }))
      const fk = fuzzyKey(draft)
      if (fk) {
        const fuzzy = await deps.db.$transaction(async (tx) => {
          await tx.$executeRawUnsafe(
            `SET LOCAL pg_trgm.similarity_threshold = ${Number(deps.policy.fuzzySuggestThreshold)}`,
          )
          return tx.$queryRaw<{ id: string; fuzzy_key: string }[]>`
            SELECT id, fuzzy_key FROM lead WHERE fuzzy_key % ${fk} AND NOT is_duplicate
            ORDER BY similarity(fuzzy_key, ${fk}) DESC LIMIT 10`
        })
        for (const f of fuzzy) {
          if (matches.some((m) => m.leadId === f.id)) continue
          matches.push({
            leadId: f.id,
            kind: 'fuzzy',
            key: fk,
            similarity: Math.round(trigramSimilarity(fk, f.fuzzy_key) * 1000) / 1000,
          })
        }
      }
      return { matches }
    },
  }
}

/** Timeline kinds for engagement events. */
const ENGAGEMENT_ACTIVITY_KINDS: Record<EngagementEvent, string> = {
  emailOpen: 'email_open',
  emailClick: 'email_click',
  emailReply: 'email_reply',
  whatsappReply: 'whatsapp_reply',
  call: 'call',
  webVisit: 'web_visit',
  eventAttended: 'event_attended',
  meetingBooked: 'meeting',
}

const ENGAGEMENT_LABELS: Record<EngagementEvent, string> = {
  emailOpen: 'Opened an email',
  emailClick: 'Clicked a link in an email',
  emailReply: 'Replied to an email',
  whatsappReply: 'Replied on WhatsApp',
  call: 'Call',
  webVisit: 'Visited the website',
  eventAttended: 'Attended an event',
  meetingBooked: 'Booked a meeting',
}

export interface ConsentChange {
  /** granted (opt-in), withdrawn (opt-out), or unchanged (only DND changes). */
  status: 'granted' | 'withdrawn' | 'unchanged'
  channels?: ContactChannel[] | undefined
  dnd?: boolean | undefined
  source: string
  text?: string | undefined
  textVersion?: string | undefined
  reason?: string | undefined
  at?: string | undefined
}

/** An engagement's timeline entry as the channel tells it, instead of the generic one. */
export interface EngagementActivity {
  kind?: string
  subject?: string | null
  details?: Record<string, unknown>
}

export interface EngagementResult {
  leadId: string
  score: number
  explanation: string
  engagement: Record<string, number>
  activityId: string
  /** True when the event (its eventId or delivery) was recorded before. */
  duplicate: boolean
}

export interface ConsentChangeResult {
  leadId: string
  consentRecordId: string
  status: string
  channels: string[]
  dnd: boolean
  marketing: ReturnType<typeof marketingChannels>
  /** True when this change's delivery was recorded before (a replayed unsubscribe event). */
  duplicate: boolean
}

export type LeadMaintenance = ReturnType<typeof createLeadMaintenance>
