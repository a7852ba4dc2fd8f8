import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  postgresKeyStore,
  removeAuthState,
  usePostgresAuthState,
} from '../../../connectors/whatsapp/auth-state.js'
import { proto } from '../../../connectors/whatsapp/transport.js'
import { createTestDatabase, truncateAll, type TestDatabase } from '../../support/database.js'

/* Baileys' auth state in PostgreSQL: what a replica taking over the socket reads back. */
let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => database?.drop())
afterEach(async () => truncateAll(database.db))

describe('usePostgresAuthState', () => {
  it('starts an unpaired session with fresh creds and stores nothing until saved', async () => {
    const { state } = await usePostgresAuthState(database.db, 'fresh')
    expect(state.creds.registered).toBe(false)
    expect(Buffer.isBuffer(state.creds.noiseKey.private)).toBe(true)
    expect(await database.db.whatsAppAuth.count()).toBe(0)
  })

  it('round-trips the creds with their Buffers intact', async () => {
    const first = await usePostgresAuthState(database.db, 's1')
    first.state.creds.me = { id: '919800000001:7@s.whatsapp.net', name: 'Leadwire Sales' }
    first.state.creds.routingInfo = Buffer.from([0, 1, 2, 250])
    await first.saveCreds()
    first.state.creds.nextPreKeyId = 42
    await first.saveCreds()

    const again = await usePostgresAuthState(database.db, 's1')
    const { creds } = again.state
    expect(creds.me?.id).toBe('919800000001:7@s.whatsapp.net')
    expect(creds.nextPreKeyId).toBe(42)
    expect(Buffer.isBuffer(creds.routingInfo)).toBe(true)
    expect([...creds.routingInfo!]).toEqual([0, 1, 2, 250])
    expect(Buffer.isBuffer(creds.signedIdentityKey.public)).toBe(true)
    expect(Buffer.compare(creds.noiseKey.private, first.state.creds.noiseKey.private)).toBe(0)
    expect(creds.signedPreKey.signature).toEqual(first.state.creds.signedPreKey.signature)
    // Another session's name sees none of it.
    expect((await usePostgresAuthState(database.db, 's2')).state.creds.me).toBeUndefined()
  })

  it('sets, gets and deletes Signal keys (null deletes), Buffers and protobufs intact', async () => {
    const keys = postgresKeyStore(database.db, 's1')
    const preKey = { public: Buffer.from('pub-1'), private: Buffer.from('priv-1') }
    await keys.set({
      'pre-key': { '1': preKey, '2': { public: Buffer.from('pub-2'), private: Buffer.from('priv-2') } },
      session: { '919876543210.0': Buffer.from('session-bytes') },
      'app-state-sync-key': { AAAA: { keyData: Buffer.from('sync-key'), timestamp: 1_764_000_000 } },
    })
    const got = await keys.get('pre-key', ['1', '2', '3'])
    expect(Object.keys(got).sort()).toEqual(['1', '2'])
    expect(Buffer.isBuffer(got['1']!.private)).toBe(true)
    expect(got['1']!.private.toString()).toBe('priv-1')
    const sessions = await keys.get('session', ['919876543210.0'])
    expect(Buffer.from(sessions['919876543210.0']!).toString()).toBe('session-bytes')
    const sync = await keys.get('app-state-sync-key', ['AAAA'])
    expect(sync['AAAA']).toBeInstanceOf(proto.Message.AppStateSyncKeyData)
    expect(Buffer.from(sync['AAAA']!.keyData!).toString()).toBe('sync-key')

    // A consumed pre-key is deleted in the same write that stores a new session.
    await keys.set({ 'pre-key': { '1': null }, session: { '919811111111.0': Buffer.from('another') } })
    expect(Object.keys(await keys.get('pre-key', ['1', '2']))).toEqual(['2'])
    expect(await database.db.whatsAppAuth.count({ where: { kind: 'session' } })).toBe(2)
    // Same kind and id in another session: separate rows.
    expect(await postgresKeyStore(database.db, 's2').get('pre-key', ['2'])).toEqual({})
  })

  it('reads keys through Baileys’ cache, and a logout removes the whole session', async () => {
    const auth = await usePostgresAuthState(database.db, 's1')
    await auth.saveCreds()
    await auth.state.keys.set({ 'pre-key': { '7': { public: Buffer.from('p'), private: Buffer.from('q') } } })
    expect((await auth.state.keys.get('pre-key', ['7']))['7']?.public.toString()).toBe('p')
    await postgresKeyStore(database.db, 'other').set({
      'pre-key': { '7': { public: Buffer.from('x'), private: Buffer.from('y') } },
    })

    await removeAuthState(database.db, 's1')
    const rows = await database.db.whatsAppAuth.findMany()
    expect(rows.map((r) => r.sessionId)).toEqual(['other'])
  })
})
