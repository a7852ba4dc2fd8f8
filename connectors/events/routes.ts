import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { problemResponses } from '../../api/schemas/problem.schema.js'
import type { ConnectorContext } from '../sdk/connector.js'
import { runBatch, type Handle, type ItemChecker } from './batch.js'
import { handleAttendance, handleRegistration } from './handle.js'
import { itemValidator } from './item-validation.js'
import { EVENTS_PATHS } from './manifest.js'
import {
  AttendanceBody,
  RegistrationBody,
  BatchOutcome,
  EventAttendance,
  EventRegistration,
  EventSignatureHeaders,
  ItemOutcome,
  MAX_BATCH,
} from './schemas.js'
import { verifyEventSignature } from './verify.js'
import { keepRawJsonBodies, readJsonBody } from '../sdk/signed-json.js'

const Accepted = Type.Union([ItemOutcome, BatchOutcome])
const checkRegistration = itemValidator<EventRegistration>(EventRegistration)
const checkAttendance = itemValidator<EventAttendance>(EventAttendance)

const SIGNING =
  'Signed with EVENTS_WEBHOOK_SECRET: `X-Leadwire-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, ' +
  'within 300 s of our clock (401 otherwise, nothing stored). '
const BATCH = `Send one item, or \`{ "items": [...] }\` (up to ${MAX_BATCH}): each item is its own delivery, and the answer lists each one's outcome or refusal.`

/** A route handler for one item (checked by the route's schema) or `{ items }`, each item checked here. */
function oneOrBatch<T>(ctx: ConnectorContext, check: ItemChecker<T>, handle: Handle<T>) {
  return async (request: FastifyRequest) => {
    const body = request.body as T | { items: unknown[] }
    if (typeof body === 'object' && body !== null && 'items' in body)
      return runBatch(ctx, body.items, check, handle, request.id)
    return handle(ctx, body as T, '/body', request.id)
  }
}

/**
 * The event platforms' webhooks. The order is the rule: the signature over the raw bytes
 * (before the JSON is even read), then the JSON (400), then the schema (422), then intake.
 */
export async function eventsRoutes(scope: FastifyInstance, ctx: ConnectorContext): Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>()
  // The signature covers the bytes on the wire: keep them as received.
  keepRawJsonBodies(app, 'string')

  const verified = async (request: FastifyRequest) => {
    const raw = typeof request.body === 'string' ? request.body : ''
    verifyEventSignature(
      ctx.config.EVENTS_WEBHOOK_SECRET,
      raw,
      request.headers['x-leadwire-signature'],
      ctx.clock(),
    )
    request.body = readJsonBody(raw)
  }

  app.post(
    EVENTS_PATHS.registrations,
    {
      schema: {
        tags: ['connectors'],
        summary: 'Event registrations',
        description:
          SIGNING +
          'A registrant becomes a lead (channel event) attributed to the event: source = the UTM source or the ' +
          'provider, medium event, campaign = `campaign`, else the UTM campaign, else the event name. A known person ' +
          'is linked to their lead. Each registration (event + registrant id or email) is captured once. ' +
          BATCH,
        headers: EventSignatureHeaders,
        body: RegistrationBody,
        response: { 200: Accepted, ...problemResponses },
      },
      preValidation: verified,
    },
    oneOrBatch(ctx, checkRegistration, handleRegistration),
  )

  app.post(
    EVENTS_PATHS.attendance,
    {
      schema: {
        tags: ['connectors'],
        summary: 'Event attendance',
        description:
          SIGNING +
          "Attending is an engagement (eventAttended) on the person's lead: on their timeline, scored by the active " +
          'rules, and told to their journey. An attendee nobody registered becomes a lead. Each attendance (event + ' +
          'attendee id or email) counts once. ' +
          BATCH,
        headers: EventSignatureHeaders,
        body: AttendanceBody,
        response: { 200: Accepted, ...problemResponses },
      },
      preValidation: verified,
    },
    oneOrBatch(ctx, checkAttendance, handleAttendance),
  )
}
