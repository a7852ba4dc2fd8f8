import { DomainRuleError } from '../platform/errors.js'
import { MIN_PASSWORD_LENGTH } from './passwords.js'

/*
 * What a new password must be. Length is what matters (NIST SP 800-63B): no composition
 * rules, but never the account's own email, the first thing a guesser tries. The upper
 * bound keeps one request from costing seconds of hashing.
 */
export const MAX_PASSWORD_LENGTH = 256

/** Refuses (422, at `pointer`) a password the policy does not accept. */
export function checkNewPassword(password: string, email: string, pointer: string): void {
  const problem =
    password.length < MIN_PASSWORD_LENGTH
      ? `must be at least ${MIN_PASSWORD_LENGTH} characters`
      : password.length > MAX_PASSWORD_LENGTH
        ? `must be at most ${MAX_PASSWORD_LENGTH} characters`
        : password.trim().toLowerCase() === email.trim().toLowerCase()
          ? 'must not be the email address'
          : null
  if (problem) throw new DomainRuleError('The password is not acceptable.', [{ pointer, message: problem }])
}

/** How a password change reads in the audit trail: that it changed, never the hash. */
export const passwordAudit = (hadPassword: boolean) => ({
  password: { from: hadPassword ? '(set)' : null, to: '(changed)' },
})
