import { defaultPayloadConverter } from '@temporalio/common'
import { expect, it } from 'vitest'
import { hashPassword } from '../../security/passwords.js'
import { useTestApp } from '../support/app.js'
import { ANONYMOUS } from '../support/auth.js'

/*
 * The Temporal UI's codec endpoint as a browser reaches it: from the UI's own origin, with
 * the console's session cookie. Only the origins in TEMPORAL_CODEC_ORIGINS get CORS headers,
 * and the cookie's same-origin rule for writes is lifted for this read-only POST only.
 */

const UI = 'http://temporal-ui.example.test'
const ctx = useTestApp({ config: { TEMPORAL_CODEC_ORIGINS: `${UI},https://other-ui.example.test` } })

async function sessionCookie(): Promise<string> {
  await ctx.database.db.user.create({
    data: {
      id: 'operator',
      name: 'Operator',
      email: 'operator@leadwire.test',
      role: 'admin',
      passwordHash: await hashPassword('correct horse battery staple'),
    },
  })
  const login = await ctx.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    headers: ANONYMOUS,
    payload: { email: 'operator@leadwire.test', password: 'correct horse battery staple' },
  })
  expect(login.statusCode, login.body).toBe(200)
  const cookie = login.cookies.find((c) => c.name === 'lw_session')
  expect(cookie).toBeDefined()
  return `lw_session=${cookie!.value}`
}

const plain = defaultPayloadConverter.toPayload({ leadId: 'legacy' })
const body = {
  payloads: [
    {
      metadata: { encoding: Buffer.from(plain.metadata!['encoding']!).toString('base64') },
      data: Buffer.from(plain.data!).toString('base64'),
    },
  ],
}

it('answers the UI’s preflight for its origin only', async () => {
  const preflight = (origin: string) =>
    ctx.app.inject({
      method: 'OPTIONS',
      url: '/codec/decode',
      headers: {
        ...ANONYMOUS,
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace',
      },
    })
  const allowed = await preflight(UI)
  expect(allowed.statusCode).toBe(204)
  expect(allowed.headers['access-control-allow-origin']).toBe(UI)
  expect(allowed.headers['access-control-allow-credentials']).toBe('true')
  expect(String(allowed.headers['access-control-allow-headers'])).toContain('x-namespace')
  const foreign = await preflight('https://evil.example.test')
  expect(foreign.headers['access-control-allow-origin']).toBeUndefined()
})

it('decodes for a signed-in operator calling from the UI’s origin with the session cookie', async () => {
  const cookie = await sessionCookie()
  const fromUi = await ctx.app.inject({
    method: 'POST',
    url: '/codec/decode',
    headers: { ...ANONYMOUS, cookie, origin: UI, 'sec-fetch-site': 'same-site', 'x-namespace': 'default' },
    payload: body,
  })
  expect(fromUi.statusCode, fromUi.body).toBe(200)
  expect(fromUi.headers['access-control-allow-origin']).toBe(UI)
  // A payload written before encryption comes back as it was.
  expect(fromUi.json()).toEqual(body)

  // The same cookie still cannot write from another site: the exemption is this route's alone.
  const write = await ctx.app.inject({
    method: 'POST',
    url: '/v1/tasks',
    headers: { ...ANONYMOUS, cookie, origin: UI, 'sec-fetch-site': 'same-site' },
    payload: { title: 'x' },
  })
  expect(write.statusCode).toBe(403)

  const anonymous = await ctx.app.inject({
    method: 'POST',
    url: '/codec/decode',
    headers: { ...ANONYMOUS, origin: UI },
    payload: body,
  })
  expect(anonymous.statusCode).toBe(401)
})

it('refuses a malformed request with problem+json', async () => {
  const res = await ctx.app.inject({ method: 'POST', url: '/codec/decode', payload: { payloads: 'nope' } })
  expect(res.statusCode).toBe(422)
  expect(res.json().errors[0].pointer).toBe('/body/payloads')
  expect(res.headers['content-type']).toContain('application/problem+json')
})
