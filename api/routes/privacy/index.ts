import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { consentHistory } from '../../../security/privacy/consent-history.js'
import { eraseSubject } from '../../../security/privacy/erase.js'
import { exportSubject } from '../../../security/privacy/export.js'
import { writeContext } from '../../actor.js'
import {
  ConsentHistory,
  ErasureResult,
  SubjectBody,
  SubjectExport,
  SubjectQuery,
} from '../../schemas/privacy.schema.js'
import { problemResponses } from '../../schemas/problem.schema.js'

/*
 * Data subjects' rights: access and portability (an export), erasure, and the consent
 * history. These act on the person wherever their data is, so they are not narrowed by the
 * caller's row scope or field rules: the `privacy` permission itself is the gate (admins by
 * default). Every export and erasure is recorded in privacy_request and the audit trail.
 */
const privacy: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.services
  const options = () => ({ defaultCountry: config.INGEST_DEFAULT_COUNTRY })

  app.post(
    '/exports',
    {
      config: { access: { object: 'privacy', action: 'export' } },
      schema: {
        tags: ['privacy'],
        summary: 'Export everything held about a person (GDPR Art. 15 and 20)',
        description:
          'Their leads, match keys, raw captures, touches, consent history, decisions, activities, tasks, messages, ' +
          'qualifications, conversions, contacts, deals, tickets and the audit trail of those records, as JSON, read ' +
          'in one snapshot. Recorded as a privacy request (the person named by a hash) and in the audit trail. A ' +
          'person nothing is held about gets an empty export.',
        body: SubjectBody,
        response: { 200: SubjectExport, ...problemResponses },
      },
    },
    async (request) => exportSubject(db, writeContext(request), request.body, options()),
  )

  app.post(
    '/erasures',
    {
      config: { access: { object: 'privacy', action: 'delete' } },
      schema: {
        tags: ['privacy'],
        summary: 'Erase a person: anonymise them everywhere, keep the aggregates (GDPR Art. 17)',
        description:
          'In one transaction: names become "Erased"; emails, phones, addresses, company and job details, free text, ' +
          'raw payloads, decision inputs, timeline texts, task texts and the audit values of their records are ' +
          'removed; match keys and stored idempotent answers are deleted; each lead’s journey is terminated ' +
          'through the outbox, and the keys its Temporal payloads were encrypted with are destroyed, so its workflow ' +
          'history cannot be decoded any more. Ids, statuses, scores, stages, owners, times, channels and campaign dimensions stay, ' +
          'so reports count the same. The fact of consent (status, channels, when) stays as proof. Issued invoices ' +
          'are kept as printed (tax law). Erasing again changes nothing.',
        body: SubjectBody,
        response: { 200: ErasureResult, ...problemResponses },
      },
    },
    async (request) => {
      const erased = await eraseSubject(db, writeContext(request), request.body, options())
      // Other processes drop their copies within PAYLOAD_KEY_CACHE_SECONDS.
      app.services.payloadKeys.forget(erased.destroyedPayloadKeys)
      return erased
    },
  )

  app.get(
    '/consent-history',
    {
      config: { access: { object: 'privacy', action: 'read' } },
      schema: {
        tags: ['privacy'],
        summary: 'A person’s consent history and their opt-out and DND state now',
        description:
          'Every consent record of their leads, oldest first, with channels, status, source and wording; and per lead ' +
          'and contact the current consent, opt-out, DND flag and whether marketing may go out on each channel.',
        querystring: SubjectQuery,
        response: { 200: ConsentHistory, ...problemResponses },
      },
    },
    async (request) => consentHistory(db, request.query, options()),
  )
}

export default privacy
