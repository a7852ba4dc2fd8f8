import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { REFUSAL_HEADERS } from './hardening.plugin.js'
import { visibleIds } from '../../security/visibility.js'
import {
  HeldByAnotherError,
  LeadwireError,
  RateLimitedError,
  type ErrorCode,
  type FieldError,
} from '../../platform/errors.js'
import { Problem, type ProblemBody } from '../schemas/problem.schema.js'
import { fieldErrors } from '../validation.js'

const TITLES: Record<ErrorCode, string> = {
  validation_failed: 'The request has invalid fields',
  malformed_request: 'The request could not be read',
  not_found: 'Not found',
  conflict: 'Conflict',
  unsupported_media_type: 'Unsupported media type',
  payload_too_large: 'Payload too large',
  rule_violation: 'A business rule refused the request',
  not_ready: 'Not ready',
  rate_limited: 'Too many requests',
  unauthorized: 'Not authenticated',
  forbidden: 'Forbidden',
  internal: 'Internal error',
}

/** A stable URI per error code (RFC 9457 `type`). */
export const problemType = (code: ErrorCode) => `urn:leadwire:problem:${code}`

/** Maps anything thrown in a request to a problem; 5xx details stay in the log. */
function toProblem(error: FastifyError | LeadwireError | Error, request: FastifyRequest): ProblemBody {
  const build = (code: ErrorCode, status: number, detail: string, errors?: FieldError[]): ProblemBody => ({
    type: problemType(code),
    title: TITLES[code],
    status,
    detail,
    instance: request.id,
    code,
    ...(errors?.length ? { errors } : {}),
  })
  if (error instanceof LeadwireError) {
    if (error.status >= 500)
      return build(error.code, error.status, 'The server could not complete the request.')
    return build(error.code, error.status, error.message, error.options.errors)
  }
  const fe = error as FastifyError & {
    validation?: Parameters<typeof fieldErrors>[0]
    validationContext?: string
  }
  if (fe.validation) {
    const part = fe.validationContext ?? 'body'
    // A body that parses but breaks the contract is unprocessable (422); a bad URL or header is a bad request (400).
    return part === 'body'
      ? build(
          'validation_failed',
          422,
          'The request body does not match the schema.',
          fieldErrors(fe.validation, `/${part}`),
        )
      : build('malformed_request', 400, `Invalid request ${part}.`, fieldErrors(fe.validation, `/${part}`))
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return build(
        'unsupported_media_type',
        415,
        `Content-Type ${String(request.headers['content-type'] ?? '(none)')} is not accepted here; send application/json.`,
      )
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return build('payload_too_large', 413, 'The request body is larger than this server accepts.')
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return build('malformed_request', 400, 'The JSON body is empty.')
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return build('malformed_request', 400, 'The body is not valid JSON.')
  }
  if (fe.statusCode === 429) return build('rate_limited', 429, fe.message)
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return build('malformed_request', fe.statusCode, fe.message)
  }
  return build('internal', 500, 'The server could not complete the request.')
}

function sendProblem(reply: FastifyReply, problem: ProblemBody) {
  return reply.code(problem.status).type('application/problem+json').send(problem)
}

/**
 * Fastify's `frameworkErrors` option: errors its router raises before any route or error
 * handler runs (a path segment over maxParamLength: 414, a URL that cannot be decoded: 400)
 * get the same problem+json as every other refusal, not Fastify's own JSON.
 */
export function frameworkErrorReply(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  request.log.info({ code: error.code }, 'request refused by the router')
  // The router answers before any hook runs, so the security headers are set here.
  reply.headers(REFUSAL_HEADERS)
  return sendProblem(reply, toProblem(error, request))
}

/**
 * A conflict naming the record that holds a value (an email, a GSTIN) names it only to a
 * caller who may see that record; others get the same refusal without the name, so a 409
 * is no way to find out who holds an address.
 */
async function namedOnlyIfVisible(error: FastifyError, request: FastifyRequest): Promise<FastifyError> {
  if (!(error instanceof HeldByAnotherError) || !request.principal) return error
  const { kind, id } = error.holder
  const seen = await visibleIds(request.server.services.db, request.principal, kind, [id])
  if (seen.has(id)) return error
  return new LeadwireError('conflict', 409, error.unnamed.message, {
    ...(error.unnamed.errors ? { errors: error.unnamed.errors } : {}),
  }) as unknown as FastifyError
}

/**
 * application/problem+json (RFC 9457) for every error and every unknown route. Wrapped
 * in fastify-plugin so the handler covers the whole app, not just one scope.
 */
export default fp(
  async function problemDetails(app: FastifyInstance) {
    app.addSchema(Problem)
    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      const problem = toProblem(await namedOnlyIfVisible(error, request), request)
      if (problem.status >= 500) request.log.error({ err: error }, 'request failed')
      else request.log.info({ code: problem.code, status: problem.status }, 'request refused')
      if (error instanceof RateLimitedError) reply.header('retry-after', String(error.retryAfterSeconds))
      return sendProblem(reply, problem)
    })
    app.setNotFoundHandler((request, reply) =>
      sendProblem(reply, {
        type: problemType('not_found'),
        title: TITLES.not_found,
        status: 404,
        detail: `No route ${request.method} ${request.url.split('?')[0] ?? ''}`,
        instance: request.id,
        code: 'not_found',
      }),
    )
  },
  { name: 'problem-details' },
)
