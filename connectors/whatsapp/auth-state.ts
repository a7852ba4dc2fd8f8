import type { Db } from '../../platform/database/prisma.js'
import {
  BufferJSON,
  initAuthCreds,
  makeCacheableSignalKeyStore,
  proto,
  type AuthenticationCreds,
  type AuthenticationState,
  type SignalDataSet,
  type SignalDataTypeMap,
  type SignalKeyStore,
} from './transport.js'

/*
 * Baileys' auth state (the creds and the Signal keys) in PostgreSQL instead of files, so a
 * replica that takes the socket over after another dies finds the pairing where it was.
 * Values go through BufferJSON: the keys are Buffers, which JSON alone would turn into
 * arrays of numbers. Rows: `whatsapp_auth (session_id, kind, key_id, value)`, where kind is
 * `creds` (key_id '') or a Signal key type.
 */

const CREDS = 'creds'

type KeyLogger = Parameters<typeof makeCacheableSignalKeyStore>[1]

export interface PostgresAuthState {
  state: AuthenticationState
  /** Persists `state.creds` (Baileys mutates it in place before each `creds.update`). */
  saveCreds(): Promise<void>
}

const serialise = (value: unknown) => JSON.stringify(value, BufferJSON.replacer)
const revive = <T>(text: string): T => JSON.parse(text, BufferJSON.reviver) as T

/** The raw key store over `whatsapp_auth`; `usePostgresAuthState` wraps it in Baileys' cache. */
export function postgresKeyStore(db: Db, sessionId: string): SignalKeyStore {
  return {
    async get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
      const found: { [id: string]: SignalDataTypeMap[T] } = {}
      if (ids.length === 0) return found
      const rows = await db.$queryRaw<{ key_id: string; value: string }[]>`
        SELECT key_id, value::text AS value FROM whatsapp_auth
         WHERE session_id = ${sessionId} AND kind = ${type} AND key_id = ANY(${ids}::text[])`
      for (const row of rows) {
        let value: unknown = revive(row.value)
        // Baileys reads this one as a protobuf message, not a plain object.
        if (type === 'app-state-sync-key')
          value = proto.Message.AppStateSyncKeyData.fromObject(value as Record<string, unknown>)
        found[row.key_id] = value as SignalDataTypeMap[T]
      }
      return found
    },
    async set(data: SignalDataSet) {
      const upsert = { kinds: [] as string[], ids: [] as string[], values: [] as string[] }
      const remove = { kinds: [] as string[], ids: [] as string[] }
      for (const [kind, entries] of Object.entries(data)) {
        for (const [id, value] of Object.entries(entries ?? {})) {
          if (value === null || value === undefined) {
            remove.kinds.push(kind)
            remove.ids.push(id)
          } else {
            upsert.kinds.push(kind)
            upsert.ids.push(id)
            upsert.values.push(serialise(value))
          }
        }
      }
      // One transaction: a session's key and the pre-key it consumed change together.
      await db.$transaction([
        db.$executeRaw`
          INSERT INTO whatsapp_auth (session_id, kind, key_id, value, updated_at)
          SELECT ${sessionId}, k, i, v::jsonb, now()
            FROM unnest(${upsert.kinds}::text[], ${upsert.ids}::text[], ${upsert.values}::text[]) AS t(k, i, v)
          ON CONFLICT (session_id, kind, key_id) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
        db.$executeRaw`
          DELETE FROM whatsapp_auth a
           USING unnest(${remove.kinds}::text[], ${remove.ids}::text[]) AS t(k, i)
           WHERE a.session_id = ${sessionId} AND a.kind = t.k AND a.key_id = t.i`,
      ])
    },
    async clear() {
      await db.$executeRaw`DELETE FROM whatsapp_auth WHERE session_id = ${sessionId} AND kind <> ${CREDS}`
    },
  }
}

/**
 * The auth state of one WhatsApp session, read from PostgreSQL (fresh creds when the
 * session was never paired). The equivalent of Baileys' `useMultiFileAuthState`.
 */
export async function usePostgresAuthState(
  db: Db,
  sessionId: string,
  logger?: KeyLogger,
): Promise<PostgresAuthState> {
  const [row] = await db.$queryRaw<{ value: string }[]>`
    SELECT value::text AS value FROM whatsapp_auth
     WHERE session_id = ${sessionId} AND kind = ${CREDS} AND key_id = ''`
  const creds = row ? revive<AuthenticationCreds>(row.value) : initAuthCreds()
  return {
    state: { creds, keys: makeCacheableSignalKeyStore(postgresKeyStore(db, sessionId), logger) },
    async saveCreds() {
      await db.$executeRaw`
        INSERT INTO whatsapp_auth (session_id, kind, key_id, value, updated_at)
        VALUES (${sessionId}, ${CREDS}, '', ${serialise(creds)}::jsonb, now())
        ON CONFLICT (session_id, kind, key_id) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`
    },
  }
}

/** Forgets a session's pairing (after WhatsApp logged it out): the next start shows a new QR. */
export async function removeAuthState(db: Db, sessionId: string): Promise<void> {
  await db.$executeRaw`DELETE FROM whatsapp_auth WHERE session_id = ${sessionId}`
}
