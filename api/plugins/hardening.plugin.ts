import helmet, { type FastifyHelmetOptions } from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { RateLimitedError } from '../../platform/errors.js'

/*
 * Limits and headers for every request: a request budget per caller, browser security
 * headers, and no caching of API answers by anything between us and the caller. Sizes are
 * capped elsewhere: a JSON body by Fastify's bodyLimit (BODY_LIMIT_BYTES, api/app.ts: 413),
 * a path parameter by maxParamLength (100 characters: 414), the request line and headers
 * by Node's HTTP parser (16 KiB: 431). Routes with their own body limits: a form post
 * (128 KiB), an import upload (streamed to disk, 1 GiB), SendGrid's event batches.
 */

/** Probes of load balancers and orchestrators: never throttled. */
const UNLIMITED_ROUTES = new Set(['/health', '/ready'])
/**
 * Vendor webhooks, the partner API and public forms are left to their own limits: vendors
 * post from a few shared addresses at volume (a per-IP budget would drop Twilio callbacks and
 * SendGrid event batches), partners have a per-partner limit and forms a per-visitor one.
 */
const OWN_LIMITS = ['/webhooks/', '/partner/', '/f/']
const exempt = (url: string) => UNLIMITED_ROUTES.has(url) || OWN_LIMITS.some((p) => url.startsWith(p))

/**
 * Whose budget a request spends: an API key's own (each integration apart), a console
 * user's (all their sessions together), else the client address. Read in preHandler,
 * once authentication has named the caller.
 */
export function rateLimitKey(request: FastifyRequest): string {
  const principal = request.principal
  if (!principal) return `ip:${request.ip}`
  return principal.credential.kind === 'api_key'
    ? `key:${principal.credential.keyId}`
    : `user:${principal.userId}`
}

/** The API's answers are data, never pages: nothing may run, load, or frame them. */
const API_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
}

const HEADERS: FastifyHelmetOptions = {
  contentSecurityPolicy: API_CSP,
  xFrameOptions: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  crossOriginResourcePolicy: { policy: 'same-origin' },
}

/**
 * The routes that serve pages to people, with the policy each needs. Swagger UI loads its
 * own scripts, styles and images (and React sets style attributes). A form's thank-you
 * page has an inline stylesheet; its hosted page and embed script set their own headers.
 */
function pagePolicy(url: string): FastifyHelmetOptions['contentSecurityPolicy'] | undefined {
  if (url === '/docs' || url.startsWith('/docs/'))
    return {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    }
  // The web console: its own scripts and styles only (no inline code), data from this origin.
  if (url === '/console' || url.startsWith('/console/'))
    return {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    }
  if (url.startsWith('/f/'))
    return {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'unsafe-inline'"],
        imgSrc: ['data:'],
        baseUri: ["'none'"],
        formAction: ["'none'"],
        frameAncestors: ["'none'"],
      },
    }
  return undefined
}

/**
 * The headers for a response refused before helmet's onRequest hook ran (a 401 or 403
 * from authentication, which runs first, or a router refusal that skips every hook):
 * the same security headers as every other answer.
 */
export const REFUSAL_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'cross-origin-resource-policy': 'same-origin',
}

function fillSecurityHeaders(reply: FastifyReply): void {
  if (reply.getHeader('x-content-type-options') === undefined) reply.headers(REFUSAL_HEADERS)
  // API answers carry personal data: no shared or browser cache keeps them unless the route says so.
  if (reply.getHeader('cache-control') === undefined) reply.header('cache-control', 'no-store')
}

export default fp(
  async function hardening(app: FastifyInstance) {
    const { config } = app.services

    // Before helmet registers its own onRoute hook, which reads the route's `helmet` option.
    app.addHook('onRoute', (route) => {
      const csp = pagePolicy(route.url)
      if (csp && route.helmet === undefined) route.helmet = { contentSecurityPolicy: csp }
    })
    await app.register(helmet, HEADERS)
    app.addHook('onSend', async (_request, reply) => fillSecurityHeaders(reply))

    await app.register(rateLimit, {
      hook: 'preHandler',
      timeWindow: 60_000,
      max: (request) =>
        request.principal ? config.RATE_LIMIT_PER_MINUTE : config.RATE_LIMIT_ANONYMOUS_PER_MINUTE,
      keyGenerator: rateLimitKey,
      allowList: (request) => exempt(request.routeOptions.url ?? ''),
      // The most recent callers' counts in this replica; a flood of new addresses evicts the oldest.
      cache: 10_000,
      onExceeded: (request, key) =>
        request.log.info({ limit: key.slice(0, key.indexOf(':')) }, 'rate limit reached'),
      // Our own error, so the problem-details plugin answers it like every other refusal.
      errorResponseBuilder: (_request, context) =>
        new RateLimitedError(
          `Too many requests: at most ${context.max} a minute. Try again in ${context.after}.`,
          Math.max(1, Math.ceil(context.ttl / 1000)),
        ),
    })
  },
  { name: 'hardening', dependencies: ['services', 'problem-details'] },
)
