import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import type { Config } from '../config.js'
import { dataDirSecret } from '../data-dir-secret.js'
import type { Db, Tx } from '../database/prisma.js'

/*
 * The per-person keys that encrypt Temporal payloads (payload-codec.ts), held in PostgreSQL
 * (payload_key). A workflow's subject is derived from its id: `lead/<id>` is `lead:<id>`,
 * `account/<id>` is `account:<id>`. Each key is wrapped with a master key (PAYLOAD_MASTER_KEY),
 * so a copy of the database alone decrypts nothing. Erasure destroys the subject's key: its
 * row keeps a tombstone (no key, destroyed_at), and no new key is ever made for it.
 */

const MASTER_FILE = 'payload-master.secret'
/** Keys a process keeps at most: a worker serving many journeys must not grow without bound. */
const MAX_CACHED_KEYS = 20_000
const IV_BYTES = 12
const TAG_BYTES = 16

/** A data key as the codec uses it. `key` is null once erased. */
export interface PayloadKey {
  subject: string
  keyId: string
  key: Buffer | null
}

export class PayloadKeyDestroyedError extends Error {
  constructor(readonly subject: string) {
    super(
      `The payload key of ${subject} was destroyed by an erasure: its payloads cannot be read or written.`,
    )
    this.name = 'PayloadKeyDestroyedError'
  }
}

/** The subject whose key encrypts a workflow's payloads: `lead/<id>` → `lead:<id>`. */
export function subjectOfWorkflow(workflowId: string | undefined): string {
  if (!workflowId) return 'system'
  const slash = workflowId.indexOf('/')
  return slash > 0 ? `${workflowId.slice(0, slash)}:${workflowId.slice(slash + 1)}` : `workflow:${workflowId}`
}

/** The record a subject names, for access checks: `lead:<id>` → { kind: 'lead', id }. */
export function recordOfSubject(subject: string): { kind: string; id: string } | null {
  const colon = subject.indexOf(':')
  return colon > 0 ? { kind: subject.slice(0, colon), id: subject.slice(colon + 1) } : null
}

/** The 256-bit key that wraps data keys, from PAYLOAD_MASTER_KEY or DATA_DIR's secret. */
export function payloadMasterKey(config: Pick<Config, 'PAYLOAD_MASTER_KEY' | 'DATA_DIR'>): Buffer {
  const secret =
    config.PAYLOAD_MASTER_KEY ?? dataDirSecret(config.DATA_DIR, MASTER_FILE, 'PAYLOAD_MASTER_KEY')
  return createHash('sha256').update(`leadwire:payload-master:v1:${secret}`).digest()
}

/** AES-256-GCM: iv | ciphertext | tag, bound to `aad` (a payload's key id, a data key's subject). */
export function seal(key: Buffer, plain: Uint8Array, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(aad))
  const body = Buffer.concat([cipher.update(plain), cipher.final()])
  return Buffer.concat([iv, body, cipher.getAuthTag()])
}

export function open(key: Buffer, sealed: Uint8Array, aad: string): Buffer {
  const bytes = Buffer.from(sealed)
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new Error('sealed data is too short')
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES))
  decipher.setAAD(Buffer.from(aad))
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES))
  return Buffer.concat([
    decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
    decipher.final(),
  ])
}

interface Row {
  subject: string
  key_id: string
  wrapped_key: Uint8Array | null
}

interface Cached {
  value: PayloadKey
  until: number
}

/**
 * Reads and creates payload keys, keeping them in memory for `cacheMs` (PAYLOAD_KEY_CACHE_SECONDS):
 * an erasure made by another process takes effect here within that time, and at once in the
 * process that made it (forget()).
 */
export class PayloadKeyStore {
  private readonly bySubject = new Map<string, Cached>()
  private readonly byKeyId = new Map<string, Cached>()

  constructor(
    private readonly db: Db,
    private readonly master: Buffer,
    private readonly cacheMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The subject's key, made on first use. Throws PayloadKeyDestroyedError for an erased subject. */
  async forSubject(subject: string): Promise<PayloadKey & { key: Buffer }> {
    const known = this.fresh(this.bySubject.get(subject)) ?? (await this.loadOrCreate(subject))
    if (known.key === null) throw new PayloadKeyDestroyedError(subject)
    return known as PayloadKey & { key: Buffer }
  }

  /** The key a payload names, or null when no such key exists. `key` is null once erased. */
  async byId(keyId: string): Promise<PayloadKey | null> {
    const cached = this.fresh(this.byKeyId.get(keyId))
    if (cached) return cached
    const [row] = await this.db.$queryRaw<Row[]>`
      SELECT subject, key_id, wrapped_key FROM payload_key WHERE key_id = ${keyId}`
    return row ? this.remember(row) : null
  }

  /** Drops cached keys of these subjects (the erasing process calls it after its commit). */
  forget(subjects: readonly string[]): void {
    for (const subject of subjects) {
      const cached = this.bySubject.get(subject)
      this.bySubject.delete(subject)
      if (cached) this.byKeyId.delete(cached.value.keyId)
    }
  }

  private async loadOrCreate(subject: string): Promise<PayloadKey> {
    const keyId = randomBytes(16).toString('hex')
    const wrapped = seal(this.master, randomBytes(32), `${subject}|${keyId}`)
    // Two processes making the first payload of one journey at once agree on one key.
    await this.db.$executeRaw`
      INSERT INTO payload_key (subject, key_id, wrapped_key, wrapped)
      VALUES (${subject}, ${keyId}, ${wrapped}, true)
      ON CONFLICT (subject) DO NOTHING`
    const [row] = await this.db.$queryRaw<Row[]>`
      SELECT subject, key_id, wrapped_key FROM payload_key WHERE subject = ${subject}`
    if (!row) throw new Error(`payload key of ${subject} vanished after its insert`)
    return this.remember(row)
  }

  private remember(row: Row): PayloadKey {
    const key =
      row.wrapped_key === null ? null : open(this.master, row.wrapped_key, `${row.subject}|${row.key_id}`)
    const value = { subject: row.subject, keyId: row.key_id, key }
    const entry = { value, until: this.now() + this.cacheMs }
    if (this.cacheMs > 0) {
      this.bySubject.delete(row.subject)
      this.bySubject.set(row.subject, entry)
      this.byKeyId.set(row.key_id, entry)
      // Maps keep insertion order: the first entries are the least recently loaded.
      for (const [subject, old] of this.bySubject) {
        if (this.bySubject.size <= MAX_CACHED_KEYS) break
        this.bySubject.delete(subject)
        this.byKeyId.delete(old.value.keyId)
      }
    }
    return value
  }

  private fresh(entry: Cached | undefined): PayloadKey | undefined {
    return entry && entry.until > this.now() ? entry.value : undefined
  }
}

/**
 * Destroys the keys of these subjects inside the erasure's transaction: the key bytes go,
 * a tombstone stays (so no new key is made for an erased person). Returns how many keys held
 * payloads (subjects that never had a workflow get a tombstone too).
 */
export async function destroyPayloadKeys(tx: Tx, subjects: readonly string[], at: Date): Promise<number> {
  if (subjects.length === 0) return 0
  const list = [...subjects]
  const [held] = await tx.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM payload_key WHERE subject = ANY(${list}::text[]) AND wrapped_key IS NOT NULL`
  await tx.$executeRaw`
    INSERT INTO payload_key (subject, key_id, wrapped_key, wrapped, destroyed_at)
    SELECT s, md5(random()::text || s), NULL, true, ${at} FROM unnest(${list}::text[]) AS s
    ON CONFLICT (subject) DO UPDATE
      SET wrapped_key = NULL, destroyed_at = COALESCE(payload_key.destroyed_at, EXCLUDED.destroyed_at)`
  return held?.n ?? 0
}
