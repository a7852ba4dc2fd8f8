import { hash, verify } from '@node-rs/argon2'

/*
 * Passwords are hashed with argon2id, OWASP's first choice, at its recommended minimum
 * (19 MiB, 2 passes, 1 lane): https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html
 * The PHC string carries its parameters, so raising them later still verifies old hashes.
 */
const ARGON2ID = 2
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

/** Shortest password accepted (NIST SP 800-63B asks for at least 8; we ask for 12). */
export const MIN_PASSWORD_LENGTH = 12

export const hashPassword = (password: string) => hash(password, OPTIONS)

/** Whether `password` matches `stored`; false (never a throw) for a malformed stored hash. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password)
  } catch {
    return false
  }
}

/**
 * A hash to verify against when the email names nobody, so a login for an unknown user takes
 * as long as one with a wrong password (no user enumeration by timing).
 */
let decoy: Promise<string> | undefined
export const decoyHash = () => (decoy ??= hashPassword('leadwire-decoy-password'))
