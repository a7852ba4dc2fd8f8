import { createHash } from 'node:crypto'
import formbody from '@fastify/formbody'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { problemResponses } from '../../api/schemas/problem.schema.js'
import {
  FormSubmissionAccepted,
  FormSubmissionBody,
  FormSubmissionHeaders,
  HtmlPage,
  JavaScript,
  PublicFormParams,
  Redirect,
} from '../../api/schemas/web-form.schema.js'
import { ForbiddenError, LeadwireError } from '../../platform/errors.js'
import type { ConnectorContext } from '../sdk/connector.js'
import { enforceRateLimit } from '../sdk/rate-limit.js'
import { isAllowedOrigin, originOf } from './cors.js'
import { submissionKey } from './delivery-key.js'
import { hostedPage, thankYouPage } from './embed.js'
import { embedScript } from './embed-script.js'
import { DEFAULT_SUCCESS_MESSAGE, type WebFormDefinition } from './form-fields.js'
import { activeForm } from './form-store.js'
import { formFieldPointer, mapSubmission } from './mapping.js'
import { publicBaseUrl } from '../sdk/public-url.js'
import { formUrls } from './urls.js'

const PUBLIC = { tags: ['forms'] }
const HTML = 'text/html; charset=utf-8'

/** A script's fetch or an API caller wants JSON; a browser posting the plain form wants a page. */
function wantsJson(request: FastifyRequest): boolean {
  const type = request.headers['content-type'] ?? ''
  const accept = request.headers.accept ?? ''
  return type.includes('json') || accept.includes('application/json')
}

/**
 * The public side of a form: its hosted page, its embed script, and the endpoint browsers
 * post it to. No authentication (anyone may fill in a form), so the defences are the
 * form's own: an allow-list of sites that may post it from a browser, a rate limit per
 * IP address, and a honeypot for bots.
 */
export async function formPublicRoutes(scope: FastifyInstance, ctx: ConnectorContext): Promise<void> {
  // The plain HTML form posts urlencoded; only this scope reads that media type.
  await scope.register(formbody)
  const app = scope.withTypeProvider<TypeBoxTypeProvider>()
  const baseUrl = publicBaseUrl(ctx.config)
  const baseOrigin = originOf(baseUrl)

  /**
   * A browser tells us which site the post comes from. Refused (403, before anything is
   * stored) unless it is one the form allows or the form's own hosted page; the CORS answer
   * names that one origin, never "*". A caller without an Origin header is not a browser
   * page and not subject to CORS.
   */
  const checkOrigin = (request: FastifyRequest, reply: FastifyReply, form: WebFormDefinition): void => {
    reply.header('vary', 'Origin')
    const origin = request.headers.origin
    if (origin === undefined) return
    const own = [baseOrigin, `${request.protocol}://${request.host}`].filter((o): o is string => !!o)
    if (!isAllowedOrigin(origin, form.allowedOrigins, own)) {
      throw new ForbiddenError(`This form may not be posted from ${origin}: it is not in its allowedOrigins.`)
    }
    reply.header('access-control-allow-origin', origin)
  }

  app.get(
    '/f/:formId',
    {
      schema: {
        ...PUBLIC,
        summary: 'A web form on its own page',
        params: PublicFormParams,
        response: { 200: HtmlPage('The form, ready to fill in.'), ...problemResponses },
      },
    },
    async (request, reply) => {
      const form = await activeForm(ctx.db, request.params.formId)
      const urls = formUrls(baseUrl, form.id)
      const scriptOrigin = originOf(urls.scriptUrl) ?? "'self'"
      return reply
        .type(HTML)
        .header(
          'content-security-policy',
          `default-src 'none'; script-src ${scriptOrigin}; connect-src ${scriptOrigin}; ` +
            "style-src 'unsafe-inline'; img-src data:; base-uri 'none'",
        )
        .header('cache-control', 'public, max-age=60')
        .send(hostedPage(form, urls))
    },
  )

  app.get(
    '/f/:formId/embed.js',
    {
      schema: {
        ...PUBLIC,
        summary: "A web form's embed script",
        description: 'Renders or enhances the form on the host page and sends it with fetch.',
        params: PublicFormParams,
        response: { 200: JavaScript, ...problemResponses },
      },
    },
    async (request, reply) => {
      const form = await activeForm(ctx.db, request.params.formId)
      return (
        reply
          .type('application/javascript; charset=utf-8')
          .header('cache-control', 'public, max-age=300')
          .header('x-content-type-options', 'nosniff')
          // Loadable by host pages that isolate themselves (Cross-Origin-Embedder-Policy).
          .header('cross-origin-resource-policy', 'cross-origin')
          .send(embedScript(form, formUrls(baseUrl, form.id)))
      )
    },
  )

  app.options(
    '/f/:formId',
    {
      schema: {
        ...PUBLIC,
        summary: 'CORS preflight for posting a web form',
        description: "Allowed for the form's allowedOrigins (and its hosted page); 403 for any other origin.",
        params: PublicFormParams,
        response: {
          204: { description: 'The origin may post the form.', type: 'null' },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const form = await activeForm(ctx.db, request.params.formId)
      checkOrigin(request, reply, form)
      return reply
        .code(204)
        .header('access-control-allow-methods', 'POST')
        .header('access-control-allow-headers', 'Content-Type, Accept, Idempotency-Key')
        .header('access-control-max-age', '600')
        .send(null)
    },
  )

  app.post(
    '/f/:formId',
    {
      // A form is a few fields: a public endpoint has no use for the API's full body limit.
      bodyLimit: 128 * 1024,
      schema: {
        ...PUBLIC,
        summary: 'Submit a web form',
        consumes: ['application/x-www-form-urlencoded', 'application/json'],
        description:
          'application/x-www-form-urlencoded (the plain form) or JSON. A JSON caller (JSON body or Accept: ' +
          'application/json) gets 201 JSON; a browser gets a 303 to the redirect URL or a thank-you page. Every ' +
          'accepted submission gets the same answer, whatever became of it. Each submission id (the submission_id ' +
          'field or Idempotency-Key) is captured once.',
        params: PublicFormParams,
        headers: FormSubmissionHeaders,
        body: FormSubmissionBody,
        response: {
          200: HtmlPage('The thank-you page (a plain browser post, no redirect URL).'),
          201: FormSubmissionAccepted,
          303: Redirect,
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const form = await activeForm(ctx.db, request.params.formId)
      checkOrigin(request, reply, form)
      const now = ctx.clock()
      // The address is hashed: the window row needs to tell visitors apart, not to name them.
      const visitor = createHash('sha256').update(request.ip).digest('hex').slice(0, 24)
      await enforceRateLimit(
        ctx.db,
        `form:${form.id}:${visitor}`,
        form.rateLimitPerMinute,
        now,
        'Too many submissions from this address: try again in a minute.',
      )
      const fields = request.body
      const { key, clientId } = submissionKey(form.id, fields, request.headers['idempotency-key'], now)
      const { capture, honeypotFilled } = mapSubmission(form, fields, now.toISOString(), clientId)
      const json = wantsJson(request)
      let leadId: string | undefined
      try {
        const result = await ctx.intake.capture(capture, {
          key,
          raw: { formId: form.id, fields },
          requestId: request.id,
        })
        if (!result.replayed) await ctx.status.touched()
        // This submission's own lead row: a known person's submission is a new row linked
        // to their lead, so the id says nothing about who else is on file.
        leadId = result.id
      } catch (err) {
        if (!(err instanceof LeadwireError) || err.status !== 422) throw err
        // A bot that filled the honeypot learns nothing, not even that its data was bad.
        if (!honeypotFilled) refuse(form, err)
      }
      if (json) {
        return reply.code(201).send({
          ok: true,
          message: form.successMessage ?? DEFAULT_SUCCESS_MESSAGE,
          ...(leadId ? { leadId } : {}),
        })
      }
      if (form.redirectUrl) return reply.redirect(form.redirectUrl, 303)
      return reply.type(HTML).send(thankYouPage(form))
    },
  )
}

/**
 * The pipeline refused the submission (422): its field errors point at the form's own
 * field names, so the embed script can mark the boxes to correct.
 */
function refuse(form: WebFormDefinition, err: LeadwireError): never {
  const errors = (err.options.errors ?? []).map((e) => ({ ...e, pointer: formFieldPointer(form, e.pointer) }))
  throw new LeadwireError(err.code, err.status, err.message, { errors })
}
