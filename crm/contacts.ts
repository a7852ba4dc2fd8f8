import { uuidv7 } from 'uuidv7'
import {
  checkContactDraft,
  type ContactDraft,
  type ContactFields,
  type ContactRole,
} from '../domain/contact/contact-draft.rules.js'
import { fieldChanges, recordAudit, type WriteContext } from '../platform/audit.js'
import type { Prisma } from '../generated/prisma/client.js'
import type { Db, Tx } from '../platform/database/prisma.js'
import { ConflictError, DomainRuleError, NotFoundError } from '../platform/errors.js'
import { accountInScope, lockAccount, type AccountRow } from './accounts.js'

/*
 * Contacts: the people at an account. The primary contact is held on the account
 * (account.primary_contact_id, unique), so there cannot be two; every write that moves it
 * locks the account row first, so concurrent switches queue and each audit row's "from" is
 * the primary the switch really replaced. Consent fields come from the lead at conversion
 * (crm/conversion.ts) and are never written here.
 */

export type ContactRow = Awaited<ReturnType<Db['contact']['findFirstOrThrow']>>

/** A contact with whether it is its account's primary contact. */
export type ContactView = ContactRow & { isPrimary: boolean }

/** Phones without a country prefix are read in the account's country; India when it has none. */
const FALLBACK_PHONE_COUNTRY = 'IN'

function fieldsOf(c: ContactRow): ContactFields {
  return {
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email,
    phone: c.phone,
    title: c.title,
    roles: c.roles as ContactRole[],
  }
}

function checked(draft: ContactDraft, current: ContactFields | null, account: AccountRow) {
  const result = checkContactDraft(draft, current, account.country ?? FALLBACK_PHONE_COUNTRY)
  if (result.ok) return result.values
  throw new DomainRuleError(
    'The contact has invalid fields.',
    result.errors.map((e) => ({ pointer: `/body${e.pointer}`, message: e.message })),
  )
}

/** Points the account's primary contact at `contactId` (or at none), audited on the account. */
async function setPrimary(tx: Tx, ctx: WriteContext, account: AccountRow, contactId: string | null) {
  if (account.primaryContactId === contactId) return
  await tx.account.update({
    where: { id: account.id },
    data: { primaryContactId: contactId, updatedBy: ctx.actor.id },
  })
  await recordAudit(tx, ctx, {
    entity: 'account',
    entityId: account.id,
    action: 'update',
    changes: fieldChanges(account, { primaryContactId: contactId }),
  })
}

/** The account a contact belongs to, locked; then the contact as it is under that lock. */
async function lockContact(tx: Tx, id: string): Promise<{ contact: ContactRow; account: AccountRow }> {
  const ref = await tx.contact.findUnique({ where: { id }, select: { accountId: true } })
  if (!ref) throw new NotFoundError('contact', id)
  // Account first, then contact: the order every contact write takes, so none deadlock.
  const account = await lockAccount(tx, ref.accountId)
  await tx.$queryRaw`SELECT id FROM contact WHERE id = ${id}::uuid FOR UPDATE`
  const contact = await tx.contact.findUniqueOrThrow({ where: { id } })
  return { contact, account: account! }
}

export type NewContact = ContactDraft & { accountId: string; primary?: boolean | undefined }

/**
 * Adds a contact to an active account. It becomes the primary contact when asked to, and
 * when the account has none yet (its first contact). Consent starts unknown. An account
 * outside `accounts` (the caller's row-level access) reads as absent.
 */
export async function createContact(
  db: Db,
  ctx: WriteContext,
  input: NewContact,
  accounts: Prisma.AccountWhereInput = {},
): Promise<ContactView> {
  const { accountId, primary, ...draft } = input
  return db.$transaction(async (tx) => {
    const locked = await lockAccount(tx, accountId)
    const account = locked && (await accountInScope(tx, accountId, accounts)) ? locked : null
    if (!account || !account.isActive)
      throw new DomainRuleError('Contacts are added to active accounts only.', [
        {
          pointer: '/body/accountId',
          message: account ? `account ${accountId} is inactive` : `no account ${accountId} exists`,
        },
      ])
    const values = checked({ roles: [], ...draft }, null, account)
    const id = uuidv7()
    const by = ctx.actor.id
    const row = await tx.contact.create({
      data: { id, accountId, ...values, createdBy: by, updatedBy: by },
    })
    await recordAudit(tx, ctx, {
      entity: 'contact',
      entityId: id,
      action: 'create',
      changes: fieldChanges(null, { accountId, ...fieldsOf(row), consentStatus: row.consentStatus }),
    })
    const isPrimary = primary === true || account.primaryContactId === null
    if (isPrimary) await setPrimary(tx, ctx, account, id)
    return { ...row, isPrimary }
  })
}

/** Edits a contact's own fields (not its account, not consent); each change is audited. */
export async function updateContact(
  db: Db,
  ctx: WriteContext,
  id: string,
  patch: ContactDraft,
): Promise<ContactView> {
  return db.$transaction(async (tx) => {
    const { contact, account } = await lockContact(tx, id)
    const values = checked(patch, fieldsOf(contact), account)
    const changes = fieldChanges(fieldsOf(contact), values)
    const isPrimary = account.primaryContactId === id
    if (Object.keys(changes).length === 0) return { ...contact, isPrimary }
    const row = await tx.contact.update({ where: { id }, data: { ...values, updatedBy: ctx.actor.id } })
    await recordAudit(tx, ctx, { entity: 'contact', entityId: id, action: 'update', changes })
    return { ...row, isPrimary }
  })
}

/** Makes an active contact of an active account its primary contact, replacing the previous one. */
export async function makePrimaryContact(db: Db, ctx: WriteContext, id: string): Promise<ContactView> {
  return db.$transaction(async (tx) => {
    const { contact, account } = await lockContact(tx, id)
    if (!contact.isActive) throw new DomainRuleError(`Contact ${id} is inactive: it cannot be primary.`)
    if (!account.isActive)
      throw new DomainRuleError(
        `Account ${account.id} is inactive: reactivate it to change its primary contact.`,
      )
    await setPrimary(tx, ctx, account, id)
    return { ...contact, isPrimary: true }
  })
}

/**
 * Deactivates a contact (kept for history, hidden from default lists). A primary contact
 * stops being primary and the account is left without one until someone picks the next.
 */
export async function deactivateContact(db: Db, ctx: WriteContext, id: string): Promise<ContactView> {
  return db.$transaction(async (tx) => {
    const { contact, account } = await lockContact(tx, id)
    if (!contact.isActive) throw new ConflictError(`Contact ${id} is inactive already.`)
    const row = await tx.contact.update({ where: { id }, data: { isActive: false, updatedBy: ctx.actor.id } })
    await recordAudit(tx, ctx, {
      entity: 'contact',
      entityId: id,
      action: 'deactivate',
      changes: { isActive: { from: true, to: false } },
    })
    if (account.primaryContactId === id) await setPrimary(tx, ctx, account, null)
    return { ...row, isPrimary: false }
  })
}
