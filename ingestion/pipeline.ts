import type { Actor, LeadCapture } from '../domain/lead/lead-capture.js'
import type { Db } from '../platform/database/prisma.js'
import { recordActivity, type ActivityEntry } from './activity-log.js'
import { claimIdempotencyKey, replayIdempotencyKey } from './idempotency.js'
import { claimDelivery, deliveryActivityKey, type Delivery, type DeliveryRecord } from './inbound-delivery.js'
import { CaptureRaceError, persistCapture, type PersistedLead } from './persist.js'
import type { RuleCache } from './rules/active-rules.js'
import type { Assessment, IngestionPolicy, StepContext } from './steps/assess.js'
import { assessCapture } from './steps/assess-capture.js'
import { validationFailed } from './steps/validate.step.js'

/** The timeline entry a capture brings with it (a call, a WhatsApp message), as the channel tells it. */
export type CaptureActivity = Omit<ActivityEntry, 'leadId' | 'actorId' | 'dedupeKey'>

export interface CaptureMeta {
  requestId?: string | undefined
  /** The caller's Idempotency-Key: a retry with the same key and body gets the first answer. */
  idempotencyKey?: string | undefined
  /** The payload exactly as the channel delivered it (defaults to the capture). */
  rawPayload?: unknown
  /**
   * A connector's delivery: claimed in the capture's transaction, so the same delivery
   * sent again (or concurrently) gets the first answer and is counted as a duplicate.
   */
  delivery?: Delivery | undefined
  /** A timeline entry the delivery also is (a call, a WhatsApp message), on the lead's master. */
  activity?: CaptureActivity | undefined
}

export interface CaptureResult extends Omit<PersistedLead, 'createdAt'> {
  createdAt: string
  /** True when this answer was stored for an earlier request with the same Idempotency-Key or delivery. */
  replayed: boolean
  /** The activity recorded with the capture (meta.activity). */
  activityId?: string | undefined
}

export interface Ingestion {
  /** The one governed path every channel's lead takes into Leadwire. */
  capture(capture: LeadCapture, actor: Actor, meta?: CaptureMeta): Promise<CaptureResult>
}

export interface IngestionDeps {
  db: Db
  rules: RuleCache
  policy: IngestionPolicy
  /** Injected so tests can pin time. */
  clock?: () => Date
}

/**
 * A redelivery's answer: the first delivery's. A connector's interaction may have taken the
 * engagement way the first time (the person was known by then), so the lead comes from the
 * ledger row when the stored answer is not a capture's.
 */
export function captureReplay(earlier: DeliveryRecord<unknown>): CaptureResult {
  const first = earlier.result as Partial<CaptureResult>
  const activityId = first.activityId ?? earlier.activityId ?? undefined
  return {
    ...(first as CaptureResult),
    id: first.id ?? earlier.leadId ?? '',
    duplicateOf: first.duplicateOf ?? null,
    ...(activityId ? { activityId } : {}),
    replayed: true,
  }
}

function assess(capture: LeadCapture, ctx: StepContext): Assessment {
  const verdict = assessCapture(capture, ctx)
  if (!verdict.ok) throw validationFailed(verdict.errors)
  return verdict.assessment
}

export function createIngestion(deps: IngestionDeps): Ingestion {
  const clock = deps.clock ?? (() => new Date())
  const context = async (): Promise<StepContext> => ({
    now: clock().toISOString(),
    policy: deps.policy,
    rules: await deps.rules.get(),
  })

  return {
    async capture(capture, actor, meta = {}) {
      const idempotencyScope = `${actor.id}:lead.capture`
      // A retry of a completed request: counted and answered in one statement, no transaction.
      if (meta.idempotencyKey) {
        const earlier = await replayIdempotencyKey<CaptureResult>(
          deps.db,
          idempotencyScope,
          meta.idempotencyKey,
          capture,
          clock(),
        )
        if (earlier) return { ...earlier, replayed: true }
      }
      const ctx = await context()
      // The pure steps first: a refused capture costs no transaction and writes nothing.
      const assessment = assess(capture, ctx)
      const attempt = () =>
        deps.db.$transaction(async (tx): Promise<CaptureResult> => {
          const idempotency = meta.idempotencyKey
            ? await claimIdempotencyKey<CaptureResult>(
                tx,
                idempotencyScope,
                meta.idempotencyKey,
                capture,
                clock(),
              )
            : undefined
          if (idempotency?.earlier) return { ...idempotency.earlier, replayed: true }
          const delivery = meta.delivery
            ? await claimDelivery<CaptureResult>(tx, meta.delivery, clock())
            : undefined
          if (delivery?.earlier) return captureReplay(delivery.earlier)
          const persisted = await persistCapture(tx, {
            assessment,
            actor,
            requestId: meta.requestId,
            rules: ctx.rules,
            policy: deps.policy,
            rawPayload: meta.rawPayload,
            now: ctx.now,
          })
          const activity = meta.activity
            ? await recordActivity(tx, {
                ...meta.activity,
                leadId: persisted.duplicateOf ?? persisted.id,
                actorId: actor.id,
                dedupeKey: meta.delivery ? deliveryActivityKey(meta.delivery) : null,
              })
            : undefined
          const result: CaptureResult = {
            ...persisted,
            createdAt: persisted.createdAt.toISOString(),
            replayed: false,
            ...(activity ? { activityId: activity.id } : {}),
          }
          await idempotency?.remember(result)
          await delivery?.remember({
            outcome: `lead_${persisted.outcome}`,
            leadId: persisted.duplicateOf ?? persisted.id,
            activityId: activity?.id,
            result,
          })
          return result
        })
      // A concurrent capture of the same person won the race for a match key: run again,
      // and this time find its lead as the master. Bounded: each loss means a new master exists.
      for (let tries = 1; ; tries++) {
        try {
          return await attempt()
        } catch (err) {
          if (!(err instanceof CaptureRaceError) || tries >= 5) throw err
        }
      }
    },
  }
}
