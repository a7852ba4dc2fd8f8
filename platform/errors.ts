/*
 * Errors we throw on purpose. Handlers never pick status codes: they throw one of these
 * and api/plugins/problem-details.plugin.ts turns it into application/problem+json.
 */
export type ErrorCode =
  | 'validation_failed'
  | 'malformed_request'
  | 'not_found'
  | 'conflict'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'rule_violation'
  | 'not_ready'
  | 'rate_limited'
  | 'unauthorized'
  | 'forbidden'
  | 'internal'

export interface FieldError {
  /** JSON pointer into the request part, e.g. `/body/email`. */
  pointer: string
  message: string
}

export class LeadwireError extends Error {
  override name = 'LeadwireError'
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    readonly options: { retryable?: boolean; errors?: FieldError[]; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause })
  }
}

export class NotFoundError extends LeadwireError {
  override name = 'NotFoundError'
  constructor(what: string, id: string) {
    super('not_found', 404, `${what} ${id} does not exist`)
  }
}

export class ConflictError extends LeadwireError {
  override name = 'ConflictError'
  constructor(message: string) {
    super('conflict', 409, message)
  }
}

/**
 * A 409 because another record already holds a unique value (an email, a GSTIN). Its
 * message names that record; `unnamed` is the same refusal without the name, for a caller
 * who may not see the holder (the error handler picks one).
 */
export class HeldByAnotherError extends LeadwireError {
  override name = 'HeldByAnotherError'
  constructor(
    message: string,
    readonly holder: { kind: 'lead' | 'account'; id: string },
    readonly unnamed: { message: string; errors?: FieldError[] },
    options: { errors?: FieldError[]; cause?: unknown } = {},
  ) {
    super('conflict', 409, message, options)
  }
}

export class DomainRuleError extends LeadwireError {
  override name = 'DomainRuleError'
  constructor(message: string, errors: FieldError[] = []) {
    super('rule_violation', 422, message, { errors })
  }
}

/** No credential, or a signature that does not verify: 401, and nothing is stored. */
export class UnauthorizedError extends LeadwireError {
  override name = 'UnauthorizedError'
  constructor(message = 'The request is not authenticated.') {
    super('unauthorized', 401, message)
  }
}

/** A valid credential that may not do this (a revoked key, a disallowed origin): 403. */
export class ForbiddenError extends LeadwireError {
  override name = 'ForbiddenError'
  constructor(message = 'The request is not allowed.') {
    super('forbidden', 403, message)
  }
}

/** Over a rate limit: 429 with Retry-After (set by the caller on the reply). */
export class RateLimitedError extends LeadwireError {
  override name = 'RateLimitedError'
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('rate_limited', 429, message, { retryable: true })
  }
}
