import { matchKeys } from '../../domain/dedupe/match-keys.rules.js'
import type { Actor, LeadCapture } from '../../domain/lead/lead-capture.js'
import { normaliseCapture } from '../../domain/lead/normalise.rules.js'
import type { EngagementEvent } from '../../domain/scoring/scoring-rules.js'
import { replayDelivery, type Delivery } from '../../ingestion/inbound-delivery.js'
import {
  engagementReplay,
  type ConsentChange,
  type ConsentChangeResult,
  type EngagementActivity,
  type EngagementResult,
  type LeadMaintenance,
} from '../../ingestion/lead-maintenance.js'
import {
  captureReplay,
  type CaptureActivity,
  type CaptureResult,
  type Ingestion,
} from '../../ingestion/pipeline.js'
import type { Db } from '../../platform/database/prisma.js'

/** How a channel names the person behind a delivery. */
export interface PersonRef {
  leadId?: string | undefined
  email?: string | undefined
  phone?: string | undefined
  /** ISO2, to read a national phone number. */
  country?: string | undefined
}

export interface DeliveryOptions {
  /** The channel's natural key for this delivery: the same key twice is one delivery. */
  key: string
  /** The payload as received (stored as the lead's raw capture). */
  raw?: unknown
  /** Where the raw message lives when it is not stored here (an IMAP mailbox + UID). */
  rawRef?: string | undefined
  /** Refuse the same key with another payload (the partner API's Idempotency-Key) instead of replaying. */
  strictBody?: boolean
  requestId?: string | undefined
}

export type ActivityNote = CaptureActivity

export type InteractionResult =
  | { kind: 'engagement'; leadId: string; activityId: string; replayed: boolean; result: EngagementResult }
  | {
      kind: 'capture'
      leadId: string
      activityId: string | undefined
      replayed: boolean
      result: CaptureResult
    }

/**
 * The governed way in for connectors. Every method takes the delivery's natural key and
 * claims it in the same transaction as its writes (ingestion/inbound-delivery.ts), so a
 * replayed or concurrent redelivery changes nothing and is counted as a duplicate. A
 * redelivery of a delivery that has completed is answered before any of that, by one
 * statement (replayDelivery): a retry storm does not take a transaction per copy.
 */
export interface Intake {
  /** A new lead (or a known person's duplicate capture) through the full pipeline. */
  capture(capture: LeadCapture, delivery: DeliveryOptions, activity?: ActivityNote): Promise<CaptureResult>
  /**
   * Something a person did (a WhatsApp message, a call, an event attended): an engagement
   * on their lead when they are known, else a new lead from `ifUnknown` with the activity
   * on its timeline.
   */
  interaction(
    person: PersonRef,
    input: {
      event: EngagementEvent
      activity: ActivityNote
      ifUnknown: LeadCapture
    },
    delivery: DeliveryOptions,
  ): Promise<InteractionResult>
  /** An engagement on a lead the channel already identified (SendGrid's custom args carry it). */
  engagement(
    leadId: string,
    event: EngagementEvent,
    occurredAt: Date,
    delivery: DeliveryOptions,
    activity?: EngagementActivity,
  ): Promise<EngagementResult>
  /** A consent change (an unsubscribe, a STOP message, a spam report). */
  consent(leadId: string, change: ConsentChange, delivery: DeliveryOptions): Promise<ConsentChangeResult>
  /** The master lead a person resolves to by email or phone, or null. */
  findLead(person: PersonRef): Promise<string | null>
}

export interface IntakeDeps {
  connectorId: string
  actor: Actor
  db: Db
  ingestion: Ingestion
  leads: LeadMaintenance
  defaultCountry: string
  clock: () => Date
}

export function createIntake(deps: IntakeDeps): Intake {
  const delivery = (d: DeliveryOptions, body: unknown): Delivery => ({
    connectorId: deps.connectorId,
    key: d.key,
    rawRef: d.rawRef,
    ...(d.strictBody ? { body } : {}),
  })

  const findLead = async (person: PersonRef): Promise<string | null> => {
    if (person.leadId) return person.leadId
    const draft = normaliseCapture(
      { channel: 'api', email: person.email, phone: person.phone, country: person.country },
      { receivedAt: deps.clock().toISOString(), defaultCountry: deps.defaultCountry },
    )
    const keys = matchKeys(draft)
    if (keys.length === 0) return null
    // The master that owns the key (a duplicate's keys move to its master on merge).
    const [row] = await deps.db.$queryRaw<{ id: string }[]>`
      SELECT COALESCE(l.duplicate_of_id, l.id) AS id
        FROM lead_match_key m JOIN lead l ON l.id = m.lead_id
       WHERE m.key = ANY(${keys}::text[])
       ORDER BY l.created_at LIMIT 1`
    return row?.id ?? null
  }

  const replayed = (d: DeliveryOptions, body: unknown) =>
    replayDelivery<unknown>(deps.db, delivery(d, body), deps.clock())

  const engagement: Intake['engagement'] = async (leadId, event, occurredAt, d, activity) => {
    const earlier = await replayed(d, d.raw)
    if (earlier) return engagementReplay(earlier)
    return deps.leads.recordEngagement(leadId, event, deps.actor, {
      occurredAt: occurredAt.toISOString(),
      requestId: d.requestId,
      delivery: delivery(d, d.raw),
      activity,
    })
  }

  const captureOnce = (lead: LeadCapture, d: DeliveryOptions, activity?: ActivityNote) =>
    deps.ingestion.capture(lead, deps.actor, {
      requestId: d.requestId,
      rawPayload: d.raw,
      delivery: delivery(d, d.raw ?? lead),
      activity,
    })

  const capture: Intake['capture'] = async (lead, d, activity) => {
    const earlier = await replayed(d, d.raw ?? lead)
    if (earlier) return captureReplay(earlier)
    return captureOnce(lead, d, activity)
  }

  return {
    capture,
    findLead,
    async interaction(person, input, d) {
      // The first delivery made a lead or an engagement; its ledger row says which.
      const earlier = await replayed(d, d.raw)
      if (earlier?.outcome === 'activity') {
        const result = engagementReplay(earlier)
        return {
          kind: 'engagement',
          leadId: result.leadId,
          activityId: result.activityId,
          replayed: true,
          result,
        }
      }
      if (earlier) {
        const result = captureReplay(earlier)
        return {
          kind: 'capture',
          leadId: result.duplicateOf ?? result.id,
          activityId: result.activityId,
          replayed: true,
          result,
        }
      }
      const leadId = await findLead(person)
      if (leadId) {
        const { kind, subject, details, occurredAt } = input.activity
        const result = await deps.leads.recordEngagement(leadId, input.event, deps.actor, {
          occurredAt: occurredAt.toISOString(),
          requestId: d.requestId,
          delivery: delivery(d, d.raw),
          activity: { kind, subject, details },
        })
        return {
          kind: 'engagement',
          leadId: result.leadId,
          activityId: result.activityId,
          replayed: result.duplicate,
          result,
        }
      }
      const result = await captureOnce(input.ifUnknown, d, input.activity)
      return {
        kind: 'capture',
        leadId: result.duplicateOf ?? result.id,
        activityId: result.activityId,
        replayed: result.replayed,
        result,
      }
    },
    engagement,
    async consent(leadId, change, d) {
      const earlier = await replayed(d, d.raw)
      if (earlier) return { ...(earlier.result as ConsentChangeResult), duplicate: true }
      return deps.leads.recordConsentChange(leadId, change, deps.actor, d.requestId, delivery(d, d.raw))
    },
  }
}
