import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { createContact, deactivateContact, makePrimaryContact, updateContact } from '../../../crm/contacts.js'
import { accountsToAddTo, assertRecordAccess } from '../../../security/record-access.js'
import { contactWhere } from '../../../security/visibility.js'
import { writeContext } from '../../actor.js'
import { principalOf } from '../../plugins/auth.plugin.js'
import { getContact, listContacts, toContact } from '../../queries/contact.queries.js'
import {
  Contact,
  ContactPage,
  ContactParams,
  CreateContactBody,
  ListContactsQuery,
  PatchContactBody,
} from '../../schemas/contact.schema.js'
import { problemResponses } from '../../schemas/problem.schema.js'

/**
 * The people at an account: roles, the one primary contact, consent carried over from the
 * lead. A contact is visible, and editable, with its account (security/visibility.ts); any
 * other answers 404 as if it did not exist.
 */
const contacts: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.services.db

  app.post(
    '',
    {
      config: { access: { object: 'contact', action: 'create' } },
      schema: {
        tags: ['contacts'],
        summary: 'Add a contact to an account',
        description:
          'The account must exist, be one the caller may edit, and be active (else 422 at /body/accountId). The ' +
          'email is stored in lower case, ' +
          'the phone as E.164. The first contact of an account without a primary contact becomes primary. ' +
          'Consent starts unknown: a contact added by hand has given none we know of.',
        body: CreateContactBody,
        response: { 201: Contact, ...problemResponses },
      },
    },
    async (request, reply) => {
      const accounts = await accountsToAddTo(db, principalOf(request), 'contact', request.body.accountId)
      const contact = await createContact(db, writeContext(request), request.body, accounts)
      return reply.code(201).header('location', `/v1/contacts/${contact.id}`).send(toContact(contact))
    },
  )

  app.get(
    '',
    {
      config: { access: { object: 'contact', action: 'read' } },
      schema: {
        tags: ['contacts'],
        summary: 'List contacts, newest first',
        description:
          'The contacts of accounts the caller may see; active ones unless isActive=false; filters combine with ' +
          'AND. Sorted by creation time (newest ' +
          "first), then id; pages continue with `cursor` = the previous page's `nextCursor`.",
        querystring: ListContactsQuery,
        response: { 200: ContactPage, ...problemResponses },
      },
    },
    async (request) => listContacts(db, request.query, await contactWhere(principalOf(request))),
  )

  app.get(
    '/:id',
    {
      config: { access: { object: 'contact', action: 'read' } },
      schema: {
        tags: ['contacts'],
        summary: 'Get a contact',
        params: ContactParams,
        response: { 200: Contact, ...problemResponses },
      },
    },
    async (request) => getContact(db, request.params.id, await contactWhere(principalOf(request))),
  )

  app.patch(
    '/:id',
    {
      config: { access: { object: 'contact', action: 'update' } },
      schema: {
        tags: ['contacts'],
        summary: 'Edit a contact',
        description: 'Each changed field is recorded in the audit trail with its value before and after.',
        params: ContactParams,
        body: PatchContactBody,
        response: { 200: Contact, ...problemResponses },
      },
    },
    async (request) => {
      await assertRecordAccess(db, principalOf(request), 'contact', request.params.id, 'edit')
      return toContact(await updateContact(db, writeContext(request), request.params.id, request.body))
    },
  )

  app.post(
    '/:id/make-primary',
    {
      config: { access: { object: 'contact', action: 'update' } },
      schema: {
        tags: ['contacts'],
        summary: "Make a contact its account's primary contact",
        description:
          'Replaces the previous primary contact in the same transaction: an account has at most one. The ' +
          'contact and its account must be active (else 422).',
        params: ContactParams,
        response: { 200: Contact, ...problemResponses },
      },
    },
    async (request) => {
      await assertRecordAccess(db, principalOf(request), 'contact', request.params.id, 'edit')
      return toContact(await makePrimaryContact(db, writeContext(request), request.params.id))
    },
  )

  app.post(
    '/:id/deactivate',
    {
      config: { access: { object: 'contact', action: 'update' } },
      schema: {
        tags: ['contacts'],
        summary: 'Deactivate a contact',
        description:
          'Kept for history, hidden from default lists. A primary contact stops being primary (the account has ' +
          'none until another is made primary). 409 when inactive already.',
        params: ContactParams,
        response: { 200: Contact, ...problemResponses },
      },
    },
    async (request) => {
      await assertRecordAccess(db, principalOf(request), 'contact', request.params.id, 'edit')
      return toContact(await deactivateContact(db, writeContext(request), request.params.id))
    },
  )
}

export default contacts
