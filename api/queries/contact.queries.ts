import type { ContactView } from '../../crm/contacts.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Db } from '../../platform/database/prisma.js'
import { NotFoundError } from '../../platform/errors.js'
import type { ListContactsQuery } from '../schemas/contact.schema.js'
import { textContains } from './filters.js'
import { afterCursor, toPage } from './keyset.js'

export function toContact(c: ContactView) {
  return {
    id: c.id,
    accountId: c.accountId,
    leadId: c.leadId,
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email,
    phone: c.phone,
    title: c.title,
    roles: c.roles,
    isPrimary: c.isPrimary,
    consentStatus: c.consentStatus,
    consentChannels: c.consentChannels,
    dnd: c.dnd,
    optOutAt: c.optOutAt ? c.optOutAt.toISOString() : null,
    isActive: c.isActive,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    createdBy: c.createdBy,
    updatedBy: c.updatedBy,
  }
}

const withPrimary = { account: { select: { primaryContactId: true } } } as const

const view = <C extends { id: string; account: { primaryContactId: string | null } }>({
  account,
  ...c
}: C) => ({
  ...c,
  isPrimary: account.primaryContactId === c.id,
})

/*
 * Contacts newest first: keyset on (createdAt, id) descending. Names are optional on a
 * contact (a converted lead may have only an email), and a keyset needs a sort value on
 * every row; ids are uuidv7, so ties on createdAt still follow creation order. Only those
 * within `visible` (the caller's row-level access).
 */
export async function listContacts(db: Db, q: ListContactsQuery, visible: Prisma.ContactWhereInput) {
  const where: Prisma.ContactWhereInput = {
    AND: [
      visible,
      {
        isActive: q.isActive,
        ...(q.accountId ? { accountId: q.accountId } : {}),
        ...(q.role ? { roles: { has: q.role } } : {}),
      },
      textContains(q.q, ['firstName', 'lastName', 'email']),
      afterCursor(q.cursor, 'createdAt', 'desc', true, 'uuid') ?? {},
    ],
  }
  const rows = await db.contact.findMany({
    where,
    include: withPrimary,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: q.limit + 1,
  })
  return toPage(
    rows,
    q.limit,
    (c) => c.createdAt,
    (c) => toContact(view(c)),
  )
}

/** One contact; one outside `visible` is not found. */
export async function getContact(db: Db, id: string, visible: Prisma.ContactWhereInput) {
  const row = await db.contact.findFirst({ where: { AND: [{ id }, visible] }, include: withPrimary })
  if (!row) throw new NotFoundError('contact', id)
  return toContact(view(row))
}
