import type { FastifyRequest } from 'fastify'
import type { Actor } from '../domain/lead/lead-capture.js'
import type { WriteContext } from '../platform/audit.js'

/**
 * The actor of a public route's writes (a form post, a webhook), where no user is calling:
 * connectors attribute their captures to themselves (`connector:<id>`) on top of this.
 */
export const ANONYMOUS_API: Actor = { id: 'api:anonymous' }

/** The caller as the API sees it: an actor for attribution, and the user behind it if any. */
export interface RequestActor extends Actor {
  /** The app_user id of the person calling, when the caller is a person. */
  userId: string | null
}

/** Who is writing, and in which request: what every crm/ write takes. */
export function writeContext(request: FastifyRequest): WriteContext {
  return { actor: request.actor, requestId: request.id }
}
