import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import type { Action, SecuredObject } from '../../domain/security/roles.rules.js'
import { ForbiddenError, RateLimitedError, UnauthorizedError } from '../../platform/errors.js'
import { FailedAuthWindow } from '../../security/failed-auth-window.js'
import { authenticate } from '../../security/authenticate.js'
import type { Principal } from '../../security/principal.js'
import { ANONYMOUS_API, writeContext, type RequestActor } from '../actor.js'
import type { Acting } from '../../security/acting.js'

/**
 * How a route is reached:
 * - 'public': no Leadwire credential (health, the API description, public forms, and
 *   webhooks whose connector verifies the vendor's signature itself);
 * - 'authenticated': any signed-in user or API key (who am I, log out);
 * - { object, action }: a user or key whose role, and key scopes, allow that action.
 */
export type RouteAccess = 'public' | 'authenticated' | { object: SecuredObject; action: Action }

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess
    /**
     * A POST that reads only (the Temporal UI's codec): a cross-site page making the browser
     * send it gains nothing it can read (CORS), so the same-origin rule for cookie writes
     * does not apply.
     */
    changesNothing?: boolean
  }
  interface FastifyRequest {
    /** The authenticated caller; null on public routes. */
    principal: Principal | null
    actor: RequestActor
  }
}

/**
 * Routes that may go without a declared access: the docs page's assets and unmatched URLs
 * (a 404) are public. Anything else without one (none should reach here: start-up checks)
 * is refused rather than let through.
 */
function undeclaredAccess(url: string | undefined): RouteAccess | 'refuse' {
  return url === undefined || url.startsWith('/docs') ? 'public' : 'refuse'
}

export const SESSION_COOKIE = 'lw_session'
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** The caller's secret: `Authorization: Bearer <key or token>`, else the console's session cookie. */
function presentedSecret(request: FastifyRequest): { secret: string; viaCookie: boolean } | null {
  const header = request.headers.authorization
  if (typeof header === 'string') {
    const match = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header.trim())
    return match ? { secret: match[1]!, viaCookie: false } : null
  }
  const cookie = request.cookies?.[SESSION_COOKIE]
  return cookie ? { secret: cookie, viaCookie: true } : null
}

/**
 * A browser sends the session cookie with any request to this host, including ones another
 * site makes it send (CSRF). A cookie-authenticated write must come from this host's own
 * pages: Sec-Fetch-Site same-origin, or an Origin equal to the host.
 */
function isCrossSite(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site']
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none'
  const origin = request.headers.origin
  if (typeof origin !== 'string') return false
  try {
    return new URL(origin).host !== request.headers.host
  } catch {
    return true
  }
}

/**
 * Authentication and object permissions for every route, in one hook: a route that declares
 * no access stops start-up, so nothing goes live unguarded by omission. Row- and field-level
 * rules are applied by the queries (security/visibility.ts) and the field filter
 * (field-access.plugin.ts).
 */
export default fp(
  async function auth(app: FastifyInstance) {
    app.decorateRequest('principal', null)
    app.decorateRequest('actor', null as unknown as RequestActor)

    // Checked once every scope's own onRoute hooks have run (a connector's scope fills in
    // its routes' access from its manifest after this hook sees them).
    const routes: RouteOptions[] = []
    app.addHook('onRoute', (route) => {
      routes.push(route)
    })
    app.addHook('onReady', async () => {
      for (const route of routes) {
        if (route.config?.access) continue
        const methods = [route.method].flat()
        // Fastify's automatic HEAD twin of a GET and the docs page's assets are public.
        if (methods.includes('HEAD') || route.url.startsWith('/docs')) continue
        throw new Error(`${methods.join(',')} ${route.url} declares no access (config.access)`)
      }
    })

    const failures = new FailedAuthWindow(app.services.config.RATE_LIMIT_ANONYMOUS_PER_MINUTE)
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const access = request.routeOptions.config.access ?? undeclaredAccess(request.routeOptions.url)
      if (access === 'refuse') throw new ForbiddenError('This route declares no access rule.')
      request.actor = { ...ANONYMOUS_API, userId: null }
      if (access === 'public') return
      const presented = presentedSecret(request)
      const { db, roles, config } = app.services
      // An address that keeps presenting bad credentials is stopped before the lookup.
      const wait = presented ? failures.retryAfter(request.ip) : 0
      if (wait > 0)
        throw new RateLimitedError('Too many requests with an invalid credential from this address.', wait)
      const principal = presented
        ? await authenticate(
            db,
            roles,
            presented.secret,
            { idleMs: config.SESSION_IDLE_MINUTES * 60_000 },
            new Date(),
          )
        : null
      if (!principal) {
        if (presented) failures.record(request.ip)
        reply.header('www-authenticate', 'Bearer realm="leadwire"')
        throw new UnauthorizedError(
          presented
            ? 'The credential is not valid (unknown, expired or revoked).'
            : 'Sign in, or send an API key as "Authorization: Bearer lwk_…".',
        )
      }
      const writes = UNSAFE.has(request.method) && request.routeOptions.config.changesNothing !== true
      if (presented?.viaCookie && writes && isCrossSite(request))
        throw new ForbiddenError('A write with the session cookie must come from the console itself.')
      request.principal = principal
      request.actor = { id: principal.actorId, userId: principal.userId }
      if (access !== 'authenticated' && !principal.can(access.object, access.action))
        throw new ForbiddenError(
          `Your role (${principal.role.name}) may not ${access.action} ${access.object}.`,
        )
    })
  },
  { name: 'auth', dependencies: ['services'] },
)

/** The request's principal on a route that requires one (every non-public route). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new UnauthorizedError()
  return request.principal
}

/** Who acts, in which request and when: what writes to people, keys, roles and shares take. */
export function actingOf(request: FastifyRequest): Acting {
  const { db, roles } = request.server.services
  return { db, roles, ctx: writeContext(request), caller: principalOf(request), now: new Date() }
}
