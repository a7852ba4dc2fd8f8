import type { OrderWithLines } from '../../crm/billing/orders.js'
import { findOrder } from '../../crm/billing/orders.js'
import { milli, money, quantity } from '../../crm/billing/amounts.js'
import { fromMinorUnits } from '../../domain/billing/money.rules.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Db } from '../../platform/database/prisma.js'
import { NotFoundError } from '../../platform/errors.js'
import type { ListOrdersQuery } from '../schemas/order.schema.js'
import { afterCursor, toPage } from './keyset.js'

type OrderRow = Awaited<ReturnType<Db['salesOrder']['findFirstOrThrow']>>

export function toOrderSummary(o: OrderRow) {
  return {
    id: o.id,
    number: o.number,
    accountId: o.accountId,
    opportunityId: o.opportunityId,
    status: o.status as 'confirmed',
    currency: o.currency,
    subtotal: money(o.subtotal),
    orderedAt: o.orderedAt.toISOString(),
    notes: o.notes,
    createdAt: o.createdAt.toISOString(),
    createdBy: o.createdBy,
  }
}

export function toOrder(o: NonNullable<OrderWithLines>) {
  return {
    ...toOrderSummary(o),
    lines: o.lines.map((l) => ({
      id: l.id,
      lineNo: l.lineNo,
      description: l.description,
      hsnSac: l.hsnSac,
      quantity: quantity(l.quantity),
      unitPrice: money(l.unitPrice),
      gstRate: Number(l.gstRate),
      amount: money(l.amount),
      invoicedQuantity: quantity(l.invoicedQuantity),
      remainingQuantity: fromMinorUnits(milli(l.quantity) - milli(l.invoicedQuantity), 3),
    })),
  }
}

/** One order with its lines; one outside `visible` is not found. */
export async function getOrder(db: Db, id: string, visible: Prisma.SalesOrderWhereInput) {
  const order = await findOrder(db, id, visible)
  if (!order) throw new NotFoundError('order', id)
  return toOrder(order)
}

/** Orders, newest first (ordered_at, then id), keyset-paginated; only those within `visible`. */
export async function listOrders(db: Db, q: ListOrdersQuery, visible: Prisma.SalesOrderWhereInput) {
  const where: Prisma.SalesOrderWhereInput = {
    AND: [
      visible,
      {
        ...(q.accountId ? { accountId: q.accountId } : {}),
        ...(q.status ? { status: q.status } : {}),
      },
      afterCursor(q.cursor, 'orderedAt', 'desc', true, 'uuid') ?? {},
    ],
  }
  const rows = await db.salesOrder.findMany({
    where,
    orderBy: [{ orderedAt: 'desc' }, { id: 'desc' }],
    take: q.limit + 1,
  })
  return toPage(rows, q.limit, (o) => o.orderedAt, toOrderSummary)
}
