import { randomBytes } from 'node:crypto'
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const cached = new Map<string, string>()

/**
 * A random secret kept in a file of DATA_DIR, created on first use: what development falls
 * back to when a secret's variable is unset, so an API and a worker sharing a DATA_DIR use
 * the same one. Production sets the variable (processes on different hosts share no folder).
 */
export function dataDirSecret(dataDir: string, fileName: string, variable: string): string {
  const file = path.join(dataDir, fileName)
  let secret = cached.get(file)
  if (secret === undefined) {
    secret = readOrCreateSecret(file, variable)
    cached.set(file, secret)
  }
  return secret
}

function readOrCreateSecret(file: string, variable: string): string {
  mkdirSync(path.dirname(file), { recursive: true })
  // Written whole under a temporary name, then linked into place: link() fails when the file
  // exists, so two processes starting at once agree on one secret and neither reads a half file.
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`
  writeFileSync(temporary, `${randomBytes(48).toString('base64url')}\n`, { mode: 0o600 })
  try {
    linkSync(temporary, file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  } finally {
    unlinkSync(temporary)
  }
  const secret = readFileSync(file, 'utf8').trim()
  if (secret.length < 32) throw new Error(`${file} holds no usable secret: delete it, or set ${variable}`)
  return secret
}
