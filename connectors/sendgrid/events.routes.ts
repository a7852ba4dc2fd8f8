import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { problemResponses } from '../../api/schemas/problem.schema.js'
import { LeadwireError, UnauthorizedError } from '../../platform/errors.js'
import type { ConnectorContext } from '../sdk/connector.js'
import { applyEvent, type EventOutcome } from './apply-event.js'
import { MalformedBatchError, parseEventBatch, readEvent, type ParsedEvent } from './parse.js'
import { unsubscribeUrlPrefix } from './unsubscribe-links.js'
import {
  eventWebhookVerifier,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  type EventWebhookVerifier,
} from './verify.js'

// SendGrid posts a batch when it reaches 768 KB or every 30 s, whichever comes first.
const BATCH_LIMIT_BYTES = 2 * 1024 * 1024
// People's events are applied a few at a time: quick enough to answer SendGrid within its
// timeout; each event is its own short transaction (one lead row locked at a time).
const CONCURRENCY = 4

const EventBatch = Type.Array(
  Type.Object(
    {
      event: Type.String({
        description: 'processed, delivered, open, click, bounce, dropped, unsubscribe...',
      }),
      sg_event_id: Type.String(),
      email: Type.Optional(Type.String()),
      timestamp: Type.Optional(Type.Integer({ description: 'Unix seconds.' })),
      leadId: Type.Optional(Type.String({ description: 'Our custom arg.' })),
      messageId: Type.Optional(Type.String({ description: 'Our custom arg: the outbound_message id.' })),
    },
    { additionalProperties: true },
  ),
  { title: 'SendGridEventBatch' },
)

const Counts = Type.Object({
  received: Type.Integer(),
  applied: Type.Integer(),
  duplicates: Type.Integer(),
  ignored: Type.Integer(),
})

const SignedHeaders = Type.Object({
  [SIGNATURE_HEADER]: Type.Optional(Type.String()),
  [TIMESTAMP_HEADER]: Type.Optional(Type.String()),
})

/**
 * SendGrid's Event Webhook. The signature covers the exact bytes received, so this scope
 * keeps the body raw: it is verified first, and only then parsed (nothing is read or stored
 * for an unsigned request).
 */
export async function eventWebhookRoutes(app: FastifyInstance, ctx: ConnectorContext): Promise<void> {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: Math.max(ctx.config.BODY_LIMIT_BYTES, BATCH_LIMIT_BYTES) },
    (_request, body, done) => done(null, body),
  )
  const ownLinkPrefix = unsubscribeUrlPrefix(ctx.config)
  const isOwnLink = (url: string) => url.startsWith(ownLinkPrefix)
  let verifier: EventWebhookVerifier | undefined

  app.post(
    '/webhooks/sendgrid/events',
    {
      // The batch schema describes the body for the API document; the bytes are checked
      // against it by hand after the signature (verify before parse), not by Fastify.
      attachValidation: true,
      schema: {
        tags: ['connectors'],
        summary: 'SendGrid Event Webhook',
        description:
          'Signed with ECDSA (X-Twilio-Email-Event-Webhook-Signature over timestamp + raw body). Each ' +
          'sg_event_id is applied once; a retried batch is answered with its events counted as duplicates.',
        headers: SignedHeaders,
        body: EventBatch,
        response: { 200: Counts, ...problemResponses },
      },
    },
    async (request) => {
      const publicKey = ctx.config.SENDGRID_WEBHOOK_PUBLIC_KEY
      if (!publicKey)
        throw new LeadwireError('not_ready', 503, 'The Event Webhook needs SENDGRID_WEBHOOK_PUBLIC_KEY.')
      try {
        verifier ??= eventWebhookVerifier(publicKey)
      } catch (err) {
        throw new LeadwireError(
          'not_ready',
          503,
          'SENDGRID_WEBHOOK_PUBLIC_KEY is not a readable ECDSA key.',
          {
            cause: err,
          },
        )
      }
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
      const header = (name: string) => {
        const value = request.headers[name]
        return typeof value === 'string' ? value : undefined
      }
      if (!verifier.verify(raw, header(SIGNATURE_HEADER), header(TIMESTAMP_HEADER)))
        throw new UnauthorizedError(
          'The Event Webhook signature does not verify with SENDGRID_WEBHOOK_PUBLIC_KEY.',
        )

      let events: unknown[]
      try {
        events = parseEventBatch(raw.toString('utf8'))
      } catch (err) {
        if (err instanceof MalformedBatchError) throw new LeadwireError('malformed_request', 400, err.message)
        throw err
      }

      const counts = { received: events.length, applied: 0, duplicates: 0, ignored: 0 }
      const tally = (outcome: EventOutcome) => {
        if (outcome === 'applied') counts.applied += 1
        else if (outcome === 'duplicate') counts.duplicates += 1
        else counts.ignored += 1
      }
      // One person's events in batch order (processed before delivered, open before click),
      // different people side by side.
      const byPerson = new Map<string, { event: ParsedEvent; raw: unknown }[]>()
      for (const raw of events) {
        const read = readEvent(raw, isOwnLink)
        if (!read.ok) {
          tally('ignored')
          continue
        }
        const person = read.event.leadId ?? read.event.email?.toLowerCase() ?? read.event.eventId
        const sequence = byPerson.get(person) ?? []
        sequence.push({ event: read.event, raw })
        byPerson.set(person, sequence)
      }
      await forEachLimited([...byPerson.values()], CONCURRENCY, async (sequence) => {
        for (const { event, raw } of sequence) tally(await applyEvent(ctx, event, raw, request.id))
      })
      if (counts.applied > 0) await ctx.status.touched()
      return counts
    },
  )
}

/**
 * Runs `work` over the items, at most `limit` at a time. Every item is attempted; the first
 * failure is rethrown at the end (SendGrid then retries the batch, and the events already
 * applied come back as duplicates).
 */
async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  let failure: { err: unknown } | undefined
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++] as T
      try {
        await work(item)
      } catch (err) {
        failure ??= { err }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane))
  if (failure) throw failure.err
}
