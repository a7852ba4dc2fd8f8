import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  linkSigningSecret,
  signUnsubscribeToken,
  verifyUnsubscribeToken,
} from '../../../platform/link-signing.js'

const SECRET = 'a-test-link-signing-secret-of-40-chars!!'
const LEAD = '0195f7a2-1c2b-7d3e-8f40-123456789abc'
const MESSAGE = '0195f7a2-1c2b-7d3e-8f40-cba987654321'

describe('unsubscribe tokens', () => {
  it('round-trips the lead, the channel and the message', () => {
    const token = signUnsubscribeToken(SECRET, { leadId: LEAD, channel: 'email', messageId: MESSAGE })
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/)
    expect(verifyUnsubscribeToken(SECRET, token)).toEqual({
      leadId: LEAD,
      channel: 'email',
      messageId: MESSAGE,
    })
    const bare = signUnsubscribeToken(SECRET, { leadId: LEAD, channel: 'email' })
    expect(verifyUnsubscribeToken(SECRET, bare)).toEqual({ leadId: LEAD, channel: 'email' })
  })

  it('refuses a token signed with another secret', () => {
    const token = signUnsubscribeToken('another-secret-of-at-least-32-characters', {
      leadId: LEAD,
      channel: 'email',
    })
    expect(verifyUnsubscribeToken(SECRET, token)).toBeNull()
  })

  it('refuses a token whose payload names another lead', () => {
    const token = signUnsubscribeToken(SECRET, { leadId: LEAD, channel: 'email' })
    const [, mac] = token.split('.')
    const forged = Buffer.concat([Buffer.of(1), Buffer.from(MESSAGE.replace(/-/g, ''), 'hex')]).toString(
      'base64url',
    )
    expect(verifyUnsubscribeToken(SECRET, `${forged}.${mac}`)).toBeNull()
  })

  it('refuses every one-character change of the signature, including other spellings of the same bytes', () => {
    const token = signUnsubscribeToken(SECRET, { leadId: LEAD, channel: 'email' })
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const last = token.length - 1
    const variants = [...alphabet].filter((c) => c !== token[last]).map((c) => token.slice(0, last) + c)
    expect(variants.map((t) => verifyUnsubscribeToken(SECRET, t)).filter(Boolean)).toEqual([])
  })

  it.each([
    ['empty', ''],
    ['no dot', 'abc'],
    ['two dots', 'a.b.c'],
    ['not base64url', 'a+b.c/d'],
    ['too long', `${'a'.repeat(100)}.${'b'.repeat(22)}`],
  ])('refuses a malformed token (%s)', (_name, token) => {
    expect(verifyUnsubscribeToken(SECRET, token)).toBeNull()
  })

  it('keeps links short enough for a URL path parameter (Fastify: 100 characters)', () => {
    const token = signUnsubscribeToken(SECRET, { leadId: LEAD, channel: 'email', messageId: MESSAGE })
    expect(token.length).toBeLessThanOrEqual(100)
  })

  it('signs UUIDs only', () => {
    expect(() => signUnsubscribeToken(SECRET, { leadId: 'not-a-uuid', channel: 'email' })).toThrow()
  })

  it('refuses a token cut short or lengthened, even by whole bytes', () => {
    const token = signUnsubscribeToken(SECRET, { leadId: LEAD, channel: 'email', messageId: MESSAGE })
    const [payload, mac] = token.split('.') as [string, string]
    expect(verifyUnsubscribeToken(SECRET, `${payload.slice(0, 24)}.${mac}`)).toBeNull()
    expect(verifyUnsubscribeToken(SECRET, `${payload}AAAA.${mac}`)).toBeNull()
    expect(verifyUnsubscribeToken(SECRET, `${payload}.${mac}AAAA`)).toBeNull()
  })
})

describe('linkSigningSecret', () => {
  const dirs: string[] = []
  const dataDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'leadwire-link-'))
    dirs.push(dir)
    return path.join(dir, 'data')
  }
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  it('uses LINK_SIGNING_SECRET when it is set, and writes nothing', () => {
    const DATA_DIR = dataDir()
    expect(linkSigningSecret({ LINK_SIGNING_SECRET: SECRET, DATA_DIR })).toBe(SECRET)
    expect(() => statSync(DATA_DIR)).toThrow()
  })

  it('otherwise creates a random secret in DATA_DIR (mode 0600) that later readers share', () => {
    const DATA_DIR = dataDir()
    const first = linkSigningSecret({ LINK_SIGNING_SECRET: undefined, DATA_DIR })
    const file = path.join(DATA_DIR, 'link-signing.secret')
    expect(first.length).toBeGreaterThanOrEqual(64)
    expect(readFileSync(file, 'utf8').trim()).toBe(first)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    // Another process with the same DATA_DIR (the worker) reads the same file.
    expect(linkSigningSecret({ LINK_SIGNING_SECRET: undefined, DATA_DIR })).toBe(first)
    expect(linkSigningSecret({ LINK_SIGNING_SECRET: undefined, DATA_DIR: dataDir() })).not.toBe(first)
  })

  it('keeps a secret file that is already there', () => {
    const DATA_DIR = dataDir()
    const existing = 'x'.repeat(64)
    mkdirSync(DATA_DIR, { recursive: true })
    writeFileSync(path.join(DATA_DIR, 'link-signing.secret'), `${existing}\n`, { mode: 0o600 })
    expect(linkSigningSecret({ LINK_SIGNING_SECRET: undefined, DATA_DIR })).toBe(existing)
  })
})
