import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { OBJECTS, type Action } from '../../../domain/security/roles.rules.js'
import { recordAudit } from '../../../platform/audit.js'
import { login } from '../../../security/login.js'
import { changeOwnPassword } from '../../../security/password-change.js'
import { revokeSession } from '../../../security/sessions.js'
import { writeContext } from '../../actor.js'
import { principalOf, SESSION_COOKIE } from '../../plugins/auth.plugin.js'
import { ChangePasswordBody, LoginBody, LoginResult, Me } from '../../schemas/auth.schema.js'
import { problemResponses } from '../../schemas/problem.schema.js'

/*
 * Signing in to the console and out of it. A login answers with a session token and sets
 * it as an HttpOnly cookie: the console uses the cookie, scripts the token as a Bearer.
 */
const auth: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.services
  const cookieOptions = {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.SESSION_COOKIE_SECURE,
    path: '/',
  } as const

  app.post(
    '/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password',
        description:
          'Starts a console session: the token is returned and set as the HttpOnly cookie lw_session. A wrong ' +
          'password, an unknown email and a deactivated user get the same 401. After LOGIN_MAX_FAILURES failures ' +
          'for one email within 15 minutes (or 20 times that from one address), attempts get 429 with Retry-After ' +
          'and the password is not checked, even a right one.',
        body: LoginBody,
        response: { 200: LoginResult, ...problemResponses },
      },
    },
    async (request, reply) => {
      const session = await login(
        db,
        { requestId: request.id },
        { maxFailures: config.LOGIN_MAX_FAILURES, ttlHours: config.SESSION_TTL_HOURS },
        { ...request.body, ip: request.ip },
        new Date(),
      )
      reply
        .setCookie(SESSION_COOKIE, session.token, {
          ...cookieOptions,
          maxAge: config.SESSION_TTL_HOURS * 3600,
        })
        .header('cache-control', 'no-store')
      return { token: session.token, expiresAt: session.expiresAt.toISOString(), user: session.user }
    },
  )

  app.post(
    '/logout',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Sign out',
        description:
          'Ends the current session (an API key is not affected: revoke it instead) and clears the cookie.',
        response: { 204: Type.Null({ description: 'Signed out.' }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request)
      if (principal.credential.kind === 'session') {
        const { sessionId } = principal.credential
        await db.$transaction(async (tx) => {
          await revokeSession(tx, sessionId, new Date())
          await recordAudit(tx, writeContext(request), {
            entity: 'user',
            entityId: principal.userId,
            action: 'logout',
            changes: {},
          })
        })
      }
      return reply.clearCookie(SESSION_COOKIE, cookieOptions).code(204).send(null)
    },
  )

  app.get(
    '/me',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Who am I',
        description:
          'The signed-in user (or the API key’s user), their role, and what this credential may do: permissions ' +
          'per object (within the key’s scopes), row scopes and field rules.',
        response: { 200: Me, ...problemResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request)
      const user = await db.user.findUniqueOrThrow({ where: { id: principal.userId } })
      const permissions = Object.fromEntries(
        OBJECTS.flatMap((o) => {
          const actions = (principal.role.permissions[o] ?? []).filter((a: Action) => principal.can(o, a))
          return actions.length ? [[o, actions]] : []
        }),
      )
      const { credential } = principal
      return {
        user: {
          id: user.id,
          name: user.name,
          email: user.email,
          managerId: user.managerId,
          teamId: user.teamId,
          lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
        },
        role: { name: principal.role.name, title: principal.role.title },
        permissions,
        rowScopes: principal.role.rowScopes as Record<string, string>,
        fieldRules: principal.role.fieldRules as Record<string, Record<string, string>>,
        credential: {
          kind: credential.kind,
          id:
            credential.kind === 'session'
              ? credential.sessionId
              : credential.kind === 'api_key'
                ? credential.keyId
                : credential.purpose,
          scopes: [...principal.scopes],
        },
      }
    },
  )

  app.post(
    '/password',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Change my password',
        description:
          'From a console session only (403 with an API key). The current password is checked under the login ' +
          'throttle; the new one needs at least 12 characters and must not be the email. Every other session of ' +
          'yours ends.',
        body: ChangePasswordBody,
        response: { 204: Type.Null({ description: 'Changed.' }), ...problemResponses },
      },
    },
    async (request, reply) => {
      await changeOwnPassword(
        db,
        writeContext(request),
        principalOf(request),
        { ...request.body, ip: request.ip, maxFailures: config.LOGIN_MAX_FAILURES },
        new Date(),
      )
      return reply.code(204).send(null)
    },
  )
}

export default auth
