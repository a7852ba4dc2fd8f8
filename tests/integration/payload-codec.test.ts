import { defaultPayloadConverter } from '@temporalio/common'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PersonKeyPayloadCodec, isEncrypted, keyIdOf } from '../../platform/temporal/payload-codec.js'
import {
  destroyPayloadKeys,
  PayloadKeyDestroyedError,
  PayloadKeyStore,
  payloadMasterKey,
  subjectOfWorkflow,
} from '../../platform/temporal/payload-keys.js'
import { testConfig } from '../support/config.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'

/* The payload codec on its own, against the real key table. */

let database: TestDatabase
const master = payloadMasterKey(testConfig({ PAYLOAD_MASTER_KEY: 'k'.repeat(40) }))
const store = () => new PayloadKeyStore(database.db, master, 60_000)
const lead = (id: string) => ({ type: 'workflow' as const, namespace: 'default', workflowId: `lead/${id}` })
const payload = (value: unknown) => defaultPayloadConverter.toPayload(value)
const value = (p: Awaited<ReturnType<PersonKeyPayloadCodec['decode']>>[number]) =>
  defaultPayloadConverter.fromPayload(p)

beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.drop()
})

describe('subjects', () => {
  it('derives the person from the workflow id', () => {
    expect(subjectOfWorkflow('lead/0194-abc')).toBe('lead:0194-abc')
    expect(subjectOfWorkflow('account/42')).toBe('account:42')
    expect(subjectOfWorkflow('test-run')).toBe('workflow:test-run')
    expect(subjectOfWorkflow(undefined)).toBe('system')
  })
})

describe('PersonKeyPayloadCodec', () => {
  it('encrypts each workflow’s payloads under its own key and decodes them back', async () => {
    const codec = new PersonKeyPayloadCodec(store())
    const [a] = await codec.encode([payload({ note: 'Asha said yes' })], lead('a'))
    const [b] = await codec.encode([payload({ note: 'Ravi said no' })], lead('b'))
    const [a2] = await codec.encode([payload('again')], lead('a'))
    expect(isEncrypted(a!) && isEncrypted(b!)).toBe(true)
    expect(Buffer.from(a!.data!).toString('latin1')).not.toContain('Asha')
    expect(keyIdOf(a!)).toBe(keyIdOf(a2!))
    expect(keyIdOf(a!)).not.toBe(keyIdOf(b!))
    // Another process (no cache) reads them with the keys in PostgreSQL.
    const other = new PersonKeyPayloadCodec(store())
    expect((await other.decode([a!, b!])).map(value)).toEqual([
      { note: 'Asha said yes' },
      { note: 'Ravi said no' },
    ])
  })

  it('makes one key when many processes encode a journey’s first payload at once', async () => {
    const codecs = Array.from({ length: 10 }, () => new PersonKeyPayloadCodec(store()))
    const encoded = await Promise.all(codecs.map((c) => c.encode([payload(1)], lead('race'))))
    expect(new Set(encoded.map(([p]) => keyIdOf(p!))).size).toBe(1)
    expect(await database.db.payloadKey.count({ where: { subject: 'lead:race' } })).toBe(1)
  })

  it('keeps data keys wrapped: the stored bytes are not the key, and another master key opens nothing', async () => {
    const codec = new PersonKeyPayloadCodec(store())
    const [p] = await codec.encode([payload('secret')], lead('wrap'))
    const row = await database.db.payloadKey.findUniqueOrThrow({ where: { subject: 'lead:wrap' } })
    expect(row.wrappedKey!.length).toBe(12 + 32 + 16)
    const stranger = new PersonKeyPayloadCodec(
      new PayloadKeyStore(
        database.db,
        payloadMasterKey(testConfig({ PAYLOAD_MASTER_KEY: 'x'.repeat(40) })),
        0,
      ),
    )
    await expect(stranger.decode([p!])).rejects.toThrow()
  })

  it('refuses a tampered payload, and passes through payloads written before encryption', async () => {
    const codec = new PersonKeyPayloadCodec(store())
    const [p] = await codec.encode([payload('original')], lead('tamper'))
    const data = Buffer.from(p!.data!)
    data[20] = data[20]! ^ 1
    await expect(codec.decode([{ ...p!, data }])).rejects.toThrow()
    const plain = payload({ leadId: 'legacy' })
    expect(await codec.decode([plain])).toEqual([plain])
  })

  it('after its key is destroyed, a person’s payloads can be neither read nor written', async () => {
    const keys = store()
    const codec = new PersonKeyPayloadCodec(keys)
    const [p] = await codec.encode([payload('to be forgotten')], lead('erased'))
    const destroyed = await database.db.$transaction((tx) =>
      destroyPayloadKeys(tx, ['lead:erased', 'lead:never-had-one'], new Date()),
    )
    expect(destroyed).toBe(1)
    keys.forget(['lead:erased'])
    expect(await codec.tryDecode(p!)).toBeNull()
    await expect(codec.decode([p!])).rejects.toThrow(/destroyed/)
    await expect(codec.encode([payload('new')], lead('erased'))).rejects.toBeInstanceOf(
      PayloadKeyDestroyedError,
    )
    // A person erased before any journey gets no key later either.
    await expect(codec.encode([payload('new')], lead('never-had-one'))).rejects.toBeInstanceOf(
      PayloadKeyDestroyedError,
    )
  })
})
