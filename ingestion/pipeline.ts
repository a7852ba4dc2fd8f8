import { createHash } from 'node:crypto'
import { companyBlockKey, fuzzyKey, matchKeys } from '../domain/dedupe/match-keys.rules.js'
import type { Actor, LeadCapture } from '../domain/lead/lead-capture.js'
import { pickTerritory } from '../domain/territory/territory.rules.js'
import type { Prisma } from '../generated/prisma/client.js'
import type { Db } from '../platform/database/prisma.js'
import { DomainRuleError } from '../platform/errors.js'
import { CaptureRaceError, persistCapture, type PersistedLead } from './persist.js'
import type { RuleCache } from './rules/active-rules.js'
import type { Assessment, IngestionPolicy, StepContext } from './steps/assess.js'
import { attributionStep } from './steps/attribution.step.js'
import { consentStep } from './steps/consent.step.js'
import { normaliseStep } from './steps/normalise.step.js'
import { scoreStep } from './steps/score.step.js'
import { spamStep } from './steps/spam.step.js'
import { validateStep } from './steps/validate.step.js'

export interface CaptureMeta {
  requestId?: string | undefined
  /** The caller's Idempotency-Key: a retry with the same key and body gets the first answer. */
  idempotencyKey?: string | undefined
  /** The payload exactly as the channel delivered it (defaults to the capture). */
  rawPayload?: unknown
}

export interface CaptureResult extends Omit<PersistedLead, 'createdAt'> {
  createdAt: string
  /** True when this answer was stored for an earlier request with the same Idempotency-Key. */
  replayed: boolean
}

export interface Ingestion {
  /** The one governed path every channel's lead takes into Leadwire. */
  capture(capture: LeadCapture, actor: Actor, meta?: CaptureMeta): Promise<CaptureResult>
  /** The pure steps alone (normalise to score), for previews and duplicate checks. */
  assess(capture: LeadCapture): Promise<Assessment>
}

export interface IngestionDeps {
  db: Db
  rules: RuleCache
  policy: IngestionPolicy
  /** Injected so tests can pin time. */
  clock?: () => Date
}

function assess(capture: LeadCapture, ctx: StepContext): Assessment {
  const draft = normaliseStep(capture, ctx)
  const issues = validateStep(draft, capture, ctx)
  const { spam, quarantined } = spamStep(draft, capture)
  const consent = consentStep(draft, capture, draft.receivedAt)
  const touch = attributionStep(draft, capture)
  const score = scoreStep(draft, ctx)
  return {
    capture,
    draft,
    issues,
    spam,
    quarantined,
    consent,
    touch,
    score,
    territory: pickTerritory(draft, ctx.rules.territories),
    fuzzyKey: fuzzyKey(draft),
    companyKey: companyBlockKey(draft),
    matchKeys: matchKeys(draft),
  }
}

/** Canonical JSON (sorted keys) so the same body always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

export function createIngestion(deps: IngestionDeps): Ingestion {
  const clock = deps.clock ?? (() => new Date())
  const context = async (): Promise<StepContext> => ({
    now: clock().toISOString(),
    policy: deps.policy,
    rules: await deps.rules.get(),
  })

  return {
    async assess(capture) {
      return assess(capture, await context())
    },

    async capture(capture, actor, meta = {}) {
      const ctx = await context()
      // The pure steps first: a refused capture costs no transaction and writes nothing.
      const assessment = assess(capture, ctx)
      const scope = `${actor.id}:lead.capture`
      const hash = createHash('sha256').update(canonical(capture)).digest('hex')
      const attempt = () =>
        deps.db.$transaction(async (tx): Promise<CaptureResult> => {
          if (meta.idempotencyKey) {
            // Claimed first: a concurrent retry with the same key waits here for this
            // transaction, then reads its stored answer instead of writing a second lead.
            const claimed = await tx.$queryRaw<{ key: string }[]>`
            INSERT INTO idempotency_key (scope, key, request_hash, status_code, response)
            VALUES (${scope}, ${meta.idempotencyKey}, ${hash}, 0, '{}'::jsonb)
            ON CONFLICT (scope, key) DO NOTHING RETURNING key`
            if (claimed.length === 0) {
              const earlier = await tx.idempotencyKey.findUniqueOrThrow({
                where: { scope_key: { scope, key: meta.idempotencyKey } },
              })
              if (earlier.requestHash !== hash) {
                throw new DomainRuleError(
                  'This Idempotency-Key was already used with a different request body.',
                  [
                    {
                      pointer: '/headers/idempotency-key',
                      message: 'was already used with a different request body',
                    },
                  ],
                )
              }
              return { ...(earlier.response as unknown as CaptureResult), replayed: true }
            }
          }
          const persisted = await persistCapture(tx, {
            assessment,
            actor,
            requestId: meta.requestId,
            rules: ctx.rules,
            policy: deps.policy,
            rawPayload: meta.rawPayload,
            now: ctx.now,
          })
          const result: CaptureResult = {
            ...persisted,
            createdAt: persisted.createdAt.toISOString(),
            replayed: false,
          }
          if (meta.idempotencyKey) {
            await tx.idempotencyKey.update({
              where: { scope_key: { scope, key: meta.idempotencyKey } },
              data: { statusCode: 202, response: result as unknown as Prisma.InputJsonValue },
            })
          }
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
