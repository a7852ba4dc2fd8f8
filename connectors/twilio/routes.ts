import formbody from '@fastify/formbody'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { problemResponses } from '../../api/schemas/problem.schema.js'
import type { Config } from '../../platform/config.js'
import type { ConnectorContext } from '../sdk/connector.js'
import { recordCallRecording, recordCallStatus } from './call-updates.js'
import { TWILIO_PATHS } from './manifest.js'
import { recordIncomingCall } from './incoming-call.js'
import { isMissedDial, isRecordableStatus } from './parse.js'
import { RecordingWebhookBody, StatusWebhookBody, TwilioHeaders, TwiML, VoiceWebhookBody } from './schemas.js'
import { afterDialTwiml, emptyTwiml, hangUpTwiml, incomingCallTwiml, routeOf } from './twiml.js'
import { publicBaseUrl } from '../sdk/public-url.js'
import { callbackUrls } from './urls.js'
import { verifyTwilioSignature } from './verify.js'

const XML = 'text/xml; charset=utf-8'
const FORM = 'application/x-www-form-urlencoded'
const TAGS = ['connectors']

/**
 * Who an incoming call rings. The lead owner's own phone would come first, but users have
 * no phone number in the data model yet (prisma/schema.prisma `User`), so every call rings
 * the team's fallback number, or goes to voicemail when none is set.
 */
function agentNumber(config: Config): string | undefined {
  return config.TWILIO_FALLBACK_NUMBER
}

/**
 * Twilio's voice webhooks. Every request is checked against X-Twilio-Signature before
 * anything else (a preValidation hook: after the form body is parsed, before its schema
 * is checked, so an unsigned caller learns nothing about our parameters); a refusal is a
 * 403 and stores nothing. Each answer is TwiML, a function of the request alone, so a
 * webhook Twilio retries gets the same answer as the first delivery.
 */
export async function twilioRoutes(scope: FastifyInstance, ctx: ConnectorContext): Promise<void> {
  // Twilio posts application/x-www-form-urlencoded.
  await scope.register(formbody)
  const app = scope.withTypeProvider<TypeBoxTypeProvider>()
  const baseUrl = publicBaseUrl(ctx.config)
  const urls = callbackUrls(baseUrl)

  const verified = async (request: FastifyRequest) => {
    const params =
      request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {}
    // Path and query exactly as received: Twilio signs the URL it requested.
    verifyTwilioSignature(
      ctx.config.TWILIO_AUTH_TOKEN,
      request.headers['x-twilio-signature'],
      baseUrl + request.url,
      params,
    )
  }

  app.post(
    TWILIO_PATHS.voice,
    {
      schema: {
        tags: TAGS,
        summary: 'Twilio incoming call',
        description:
          'Set as the number\'s "A call comes in" webhook. An unknown caller becomes a lead (channel phone), a known ' +
          'one gets the call on their timeline (a `call` engagement). Answers TwiML that rings the fallback number ' +
          '(or takes a voicemail). Each CallSid is recorded once; a retry gets the same TwiML.',
        consumes: [FORM],
        headers: TwilioHeaders,
        body: VoiceWebhookBody,
        response: { 200: TwiML('What Twilio does with the call.'), ...problemResponses },
      },
      preValidation: verified,
    },
    async (request, reply) => {
      const routing = { dialTo: agentNumber(ctx.config), urls }
      await recordIncomingCall(ctx, request.body, routeOf(routing), request.id)
      return reply.type(XML).send(incomingCallTwiml(routing))
    },
  )

  app.post(
    TWILIO_PATHS.status,
    {
      schema: {
        tags: TAGS,
        summary: 'Twilio call status callback',
        description:
          'Set as the number\'s "Call status changes" webhook; it is also the action of the Dial we answer. Records ' +
          "the call's outcome on its timeline entry; a missed call (not answered, busy, canceled, or sent to " +
          'voicemail) opens a call-back task for the lead owner (or the sdr queue), once per call. After a Dial ' +
          'nobody picked up, answers voicemail TwiML.',
        consumes: [FORM],
        headers: TwilioHeaders,
        body: StatusWebhookBody,
        response: {
          200: TwiML('Voicemail after a missed Dial; otherwise an empty document.'),
          ...problemResponses,
        },
      },
      preValidation: verified,
    },
    async (request, reply) => {
      const p = request.body
      // Progress callbacks (ringing, in-progress) carry no outcome: acknowledged, not stored.
      if (isRecordableStatus(p)) {
        const update = await recordCallStatus(ctx, p)
        if (!update.known) request.log.info({ callSid: p.CallSid }, 'status of an unrecorded call ignored')
      }
      const twiml = p.DialCallStatus ? afterDialTwiml(isMissedDial(p.DialCallStatus), urls) : emptyTwiml()
      return reply.type(XML).send(twiml)
    },
  )

  app.post(
    TWILIO_PATHS.recording,
    {
      schema: {
        tags: TAGS,
        summary: 'Twilio voicemail recording',
        description:
          "The voicemail's action and recording status callback: stores the recording's sid, URL and length on " +
          "the call's timeline entry (once per RecordingSid), then ends the call.",
        consumes: [FORM],
        headers: TwilioHeaders,
        body: RecordingWebhookBody,
        response: { 200: TwiML('Hangs up.'), ...problemResponses },
      },
      preValidation: verified,
    },
    async (request, reply) => {
      await recordCallRecording(ctx, request.body)
      return reply.type(XML).send(hangUpTwiml())
    },
  )
}
