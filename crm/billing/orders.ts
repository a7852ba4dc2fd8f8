import { uuidv7 } from 'uuidv7'
import {
  priceOrderLines,
  type OrderLineDraft,
  type PricedOrderLine,
} from '../../domain/billing/order-line.rules.js'
import { recordActivity } from '../../ingestion/activity-log.js'
import { recordAudit, type WriteContext } from '../../platform/audit.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Db, Tx } from '../../platform/database/prisma.js'
import { ConflictError, DomainRuleError, NotFoundError } from '../../platform/errors.js'
import { basisPoints, milli, moneyDecimal, paise, quantityDecimal, rateDecimal } from './amounts.js'
import { nextDocumentNumberAt } from '../document-numbers.js'
import { isUniqueViolation } from './unique-violation.js'

/*
 * Sales orders: what a won deal sold, line by line, numbered SO/26-27/000001. One order
 * per opportunity (the database's unique key decides). Posting the same order again answers
 * with the order already made, so a client that lost the first answer can safely retry;
 * different lines for an opportunity that has an order are a conflict naming that order.
 */

export const ORDER_SERIES = 'SO'
export const ORDER_STATUSES = ['confirmed', 'partially_invoiced', 'invoiced', 'cancelled'] as const

export interface CreateOrder {
  opportunityId: string
  lines: OrderLineDraft[]
  notes?: string | null | undefined
}

const withLines = { lines: { orderBy: { lineNo: 'asc' } } } satisfies Prisma.SalesOrderInclude
export type OrderWithLines = Awaited<ReturnType<typeof findOrder>>

/** An order with its lines; `visible` (row-level access) leaves out one the caller may not see. */
export function findOrder(db: Db | Tx, id: string, visible: Prisma.SalesOrderWhereInput = {}) {
  return db.salesOrder.findFirst({ where: { AND: [{ id }, visible] }, include: withLines })
}

/** Whether a stored order holds exactly these lines and notes (a retried POST). */
function sameOrder(
  order: NonNullable<OrderWithLines>,
  lines: PricedOrderLine[],
  notes: string | null,
): boolean {
  return (
    (order.notes ?? null) === notes &&
    order.lines.length === lines.length &&
    order.lines.every((stored, i) => {
      const l = lines[i]!
      return (
        stored.description === l.description &&
        stored.hsnSac === l.hsnSac &&
        milli(stored.quantity) === l.quantityMilli &&
        paise(stored.unitPrice) === l.unitPricePaise &&
        basisPoints(stored.gstRate) === l.rateBp
      )
    })
  )
}

function existingOrderAnswer(
  existing: NonNullable<OrderWithLines>,
  lines: PricedOrderLine[],
  notes: string | null,
) {
  if (sameOrder(existing, lines, notes)) return { order: existing, created: false }
  throw new ConflictError(
    `Opportunity ${existing.opportunityId} already has sales order ${existing.number} (${existing.id}) with other lines.`,
  )
}

/** Creates the sales order of a won opportunity, or answers with the identical one made before. */
export async function createOrder(
  db: Db,
  ctx: WriteContext,
  cmd: CreateOrder,
  now = new Date(),
): Promise<{ order: NonNullable<OrderWithLines>; created: boolean }> {
  const priced = priceOrderLines(cmd.lines)
  if (!priced.ok) throw new DomainRuleError('The order lines are not valid.', priced.errors)
  const notes = cmd.notes ?? null
  const prior = await db.salesOrder.findUnique({
    where: { opportunityId: cmd.opportunityId },
    include: withLines,
  })
  if (prior) return existingOrderAnswer(prior, priced.lines, notes)
  try {
    return await db.$transaction(async (tx) => {
      const opp = await tx.opportunity.findUnique({
        where: { id: cmd.opportunityId },
        include: { account: { select: { isActive: true } } },
      })
      if (!opp) throw new NotFoundError('opportunity', cmd.opportunityId)
      if (opp.stage !== 'closed_won')
        throw new DomainRuleError('Only a won opportunity can be ordered.', [
          { pointer: '/body/opportunityId', message: `is at stage ${opp.stage}, not closed_won` },
        ])
      if (!opp.account.isActive)
        throw new DomainRuleError('The account is deactivated.', [
          { pointer: '/body/opportunityId', message: 'belongs to a deactivated account' },
        ])
      const { number } = await nextDocumentNumberAt(tx, ORDER_SERIES, now)
      const id = uuidv7()
      await tx.salesOrder.create({
        data: {
          id,
          number,
          accountId: opp.accountId,
          opportunityId: opp.id,
          currency: opp.currency,
          subtotal: moneyDecimal(priced.subtotalPaise),
          orderedAt: now,
          notes,
          createdBy: ctx.actor.id,
          updatedBy: ctx.actor.id,
          lines: {
            create: priced.lines.map((l) => ({
              id: uuidv7(),
              lineNo: l.lineNo,
              description: l.description,
              hsnSac: l.hsnSac,
              quantity: quantityDecimal(l.quantityMilli),
              unitPrice: moneyDecimal(l.unitPricePaise),
              gstRate: rateDecimal(l.rateBp),
              amount: moneyDecimal(l.amountPaise),
            })),
          },
        },
      })
      await recordAudit(tx, ctx, {
        entity: 'order',
        entityId: id,
        action: 'create',
        changes: {
          number: { from: null, to: number },
          opportunityId: { from: null, to: opp.id },
          accountId: { from: null, to: opp.accountId },
          currency: { from: null, to: opp.currency },
          subtotal: { from: null, to: moneyDecimal(priced.subtotalPaise) },
          notes: { from: null, to: notes },
          lines: {
            from: null,
            to: priced.lines.map((l) => ({
              lineNo: l.lineNo,
              description: l.description,
              hsnSac: l.hsnSac,
              quantity: quantityDecimal(l.quantityMilli),
              unitPrice: moneyDecimal(l.unitPricePaise),
              gstRate: rateDecimal(l.rateBp),
            })),
          },
        },
      })
      await recordActivity(tx, {
        kind: 'order_created',
        direction: 'internal',
        subject: `Sales order ${number}`,
        details: {
          orderId: id,
          number,
          subtotal: moneyDecimal(priced.subtotalPaise),
          currency: opp.currency,
        },
        accountId: opp.accountId,
        opportunityId: opp.id,
        occurredAt: now,
        actorId: ctx.actor.id,
        dedupeKey: `order-created/${id}`,
      })
      return { order: (await findOrder(tx, id))!, created: true }
    })
  } catch (err) {
    // Two requests raced for the opportunity: the unique key let one in; answer as a retry would.
    if (!isUniqueViolation(err)) throw err
    const winner = await db.salesOrder.findUnique({
      where: { opportunityId: cmd.opportunityId },
      include: withLines,
    })
    if (!winner) throw err
    return existingOrderAnswer(winner, priced.lines, notes)
  }
}

/** Order status from how much of its lines is invoiced. */
export function orderStatusFor(lines: { quantityMilli: number; invoicedMilli: number }[]): string {
  if (lines.every((l) => l.invoicedMilli >= l.quantityMilli)) return 'invoiced'
  if (lines.some((l) => l.invoicedMilli > 0)) return 'partially_invoiced'
  return 'confirmed'
}
