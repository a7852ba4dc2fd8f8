import {
  defaultDirection,
  validateActivityDraft,
  type ActivityDirection,
  type ActivityKind,
} from '../domain/activity/activity.rules.js'
import { recordActivity } from '../ingestion/activity-log.js'
import { recordAudit, type WriteContext } from '../platform/audit.js'
import type { Db } from '../platform/database/prisma.js'
import { DomainRuleError, type FieldError } from '../platform/errors.js'
import type { LinkScopes } from '../security/visibility.js'
import { accountChanged } from './account-changed.js'

/*
 * Activities people log by hand (a call, an email, a meeting, a note, a WhatsApp message),
 * linked to any of a lead, an account, a contact, a deal and a task. The caller is credited
 * as the one who did it (the actor), which is what activity statistics count.
 */

export const ACTIVITY_LINKS = ['leadId', 'accountId', 'contactId', 'opportunityId', 'taskId'] as const
export type ActivityLinks = Partial<Record<(typeof ACTIVITY_LINKS)[number], string>>

export interface LogActivityCommand extends ActivityLinks {
  kind: ActivityKind
  direction?: ActivityDirection | undefined
  subject?: string | undefined
  body?: string | undefined
  /** ISO timestamp; defaults to now. */
  occurredAt?: string | undefined
  durationSeconds?: number | undefined
  outcome?: string | undefined
  /** The Idempotency-Key header: a retried request records one entry. */
  idempotencyKey?: string | undefined
}

/**
 * Checks that each linked record exists, among those the caller sees (`scopes`: one they do
 * not see is refused as missing, so its existence does not leak), and that the links agree
 * with each other, and returns the account the activity is about (given, or the contact's
 * or the deal's), whose health depends on how recently anyone was in touch.
 */
async function checkLinks(
  db: Db,
  links: ActivityLinks,
  scopes: LinkScopes,
): Promise<{ errors: FieldError[]; accountId: string | null }> {
  const errors: FieldError[] = []
  const missing = (field: string) => errors.push({ pointer: `/body/${field}`, message: 'does not exist' })
  const [lead, account, contact, opportunity, task] = await Promise.all([
    links.leadId
      ? db.lead.findFirst({ where: { AND: [{ id: links.leadId }, scopes.lead] }, select: { id: true } })
      : null,
    links.accountId
      ? db.account.findFirst({
          where: { AND: [{ id: links.accountId }, scopes.account] },
          select: { id: true },
        })
      : null,
    links.contactId
      ? db.contact.findFirst({
          where: { AND: [{ id: links.contactId }, scopes.contact] },
          select: { accountId: true },
        })
      : null,
    links.opportunityId
      ? db.opportunity.findFirst({
          where: { AND: [{ id: links.opportunityId }, scopes.opportunity] },
          select: { accountId: true },
        })
      : null,
    links.taskId
      ? db.task.findFirst({ where: { AND: [{ id: links.taskId }, scopes.task] }, select: { id: true } })
      : null,
  ])
  if (links.leadId && !lead) missing('leadId')
  if (links.accountId && !account) missing('accountId')
  if (links.contactId && !contact) missing('contactId')
  if (links.opportunityId && !opportunity) missing('opportunityId')
  if (links.taskId && !task) missing('taskId')
  if (account && contact && contact.accountId !== links.accountId)
    errors.push({ pointer: '/body/contactId', message: 'belongs to another account than accountId' })
  if (account && opportunity && opportunity.accountId !== links.accountId)
    errors.push({ pointer: '/body/opportunityId', message: 'belongs to another account than accountId' })
  if (!account && contact && opportunity && contact.accountId !== opportunity.accountId)
    errors.push({ pointer: '/body/opportunityId', message: 'belongs to another account than the contact' })
  return { errors, accountId: links.accountId ?? contact?.accountId ?? opportunity?.accountId ?? null }
}

/**
 * Logs an activity against records the caller sees (`scopes`): validated, written with its
 * audit row, and (when it concerns an account) an `account.changed` event so the account's
 * health is recomputed, in one transaction. With an idempotency key, a retry finds the
 * entry the first request wrote and writes nothing (`created: false`).
 */
export async function logActivity(
  db: Db,
  ctx: WriteContext,
  cmd: LogActivityCommand,
  now: Date,
  scopes: LinkScopes,
) {
  const links: ActivityLinks = Object.fromEntries(
    ACTIVITY_LINKS.filter((k) => cmd[k] !== undefined).map((k) => [k, cmd[k]]),
  )
  const direction = cmd.direction ?? defaultDirection(cmd.kind)
  const occurredAt = cmd.occurredAt ? new Date(cmd.occurredAt) : now
  const errors: FieldError[] = validateActivityDraft(
    {
      kind: cmd.kind,
      direction,
      occurredAt: occurredAt.getTime(),
      durationSeconds: cmd.durationSeconds,
      outcome: cmd.outcome,
    },
    now.getTime(),
  ).map((e) => ({ pointer: `/body${e.pointer}`, message: e.message }))
  if (Object.keys(links).length === 0)
    errors.push({ pointer: '/body', message: `must link at least one of ${ACTIVITY_LINKS.join(', ')}` })
  const checked = await checkLinks(db, links, scopes)
  errors.push(...checked.errors)
  if (errors.length) throw new DomainRuleError('The activity cannot be logged.', errors)

  const details = {
    ...(cmd.body !== undefined ? { body: cmd.body } : {}),
    ...(cmd.durationSeconds !== undefined ? { durationSeconds: cmd.durationSeconds } : {}),
    ...(cmd.outcome !== undefined ? { outcome: cmd.outcome } : {}),
  }
  return db.$transaction(async (tx) => {
    const recorded = await recordActivity(tx, {
      kind: cmd.kind,
      direction,
      subject: cmd.subject ?? null,
      details,
      ...links,
      occurredAt,
      actorId: ctx.actor.id,
      // Scoped by caller: two callers choosing the same key must not see each other's entry.
      dedupeKey: cmd.idempotencyKey ? `api/${ctx.actor.id}/${cmd.idempotencyKey}` : null,
    })
    if (recorded.created) {
      await recordAudit(tx, ctx, {
        entity: 'activity',
        entityId: recorded.id,
        action: 'create',
        changes: Object.fromEntries(
          Object.entries({
            kind: cmd.kind,
            direction,
            subject: cmd.subject,
            occurredAt,
            ...details,
            ...links,
          }).map(([k, v]) => [k, { from: null, to: v instanceof Date ? v.toISOString() : (v ?? null) }]),
        ),
      })
      if (checked.accountId) await accountChanged(tx, ctx, checked.accountId, 'activity_logged')
    }
    return {
      activity: await tx.activity.findUniqueOrThrow({ where: { id: recorded.id } }),
      created: recorded.created,
    }
  })
}
