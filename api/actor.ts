import type { Actor } from '../domain/lead/lead-capture.js'

/**
 * Until authentication lands, API writes are attributed to this actor (and the request id,
 * which the outbox and the journey's memo carry). One place to replace with the caller.
 */
export const ANONYMOUS_API: Actor = { id: 'api:anonymous' }
