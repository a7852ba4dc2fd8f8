import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../../../platform/logger.js'

/** A logger writing into an array, one parsed line per entry. */
function capture() {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString())
      done()
    },
  })
  const log = createLogger({ LOG_LEVEL: 'info', LOG_PRETTY: false }, { name: 'api' }, stream)
  return {
    log,
    text: () => lines.join(''),
    entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  }
}

const SECRETS = [
  'Bearer lwk_abcd1234_supersecretkeymaterial',
  'lw_session=lws_sessiontokenvalue',
  'lw_session=lws_newcookie; HttpOnly',
  'lwp_partnerkey_value',
  'twilio-signature-value',
  'asha.rao@example.in',
  '+919876543210',
  'correct horse battery staple',
  'Asha',
  'Rao',
]

describe('log redaction', () => {
  it('keeps credentials and personal details out of a logged request and record', () => {
    const { log, text, entries } = capture()
    log.info(
      {
        req: {
          id: 'req-1',
          method: 'POST',
          url: '/v1/leads?email=asha.rao@example.in',
          routeOptions: { url: '/v1/leads' },
          headers: {
            authorization: SECRETS[0],
            cookie: SECRETS[1],
            'x-api-key': SECRETS[3],
            'x-twilio-signature': SECRETS[4],
          },
        },
        res: { headers: { 'set-cookie': SECRETS[2] } },
        headers: { authorization: SECRETS[0], 'x-twilio-signature': SECRETS[4] },
        lead: {
          id: 'lead-1',
          email: SECRETS[5],
          phone: SECRETS[6],
          firstName: SECRETS[8],
          lastName: SECRETS[9],
        },
        body: { password: SECRETS[7], user: { email: SECRETS[5], name: 'Asha Rao' } },
        password: SECRETS[7],
        email: SECRETS[5],
        token: 'lws_plain_token',
      },
      'request',
    )
    const logged = text()
    for (const secret of [...SECRETS, 'Asha Rao', 'lws_plain_token']) expect(logged).not.toContain(secret)
    const [entry] = entries()
    // The request is its method and route pattern, not its URL.
    expect(entry!['req']).toEqual({ id: 'req-1', method: 'POST', route: '/v1/leads' })
    expect(entry!['lead']).toMatchObject({ id: 'lead-1', email: '[redacted]' })
    // The logger's own name binding is not a person's name.
    expect(entry!['name']).toBe('api')
  })

  it('logs an unmatched path as no route at all', () => {
    const { log, entries } = capture()
    log.info({ req: { id: 'r', method: 'GET', url: '/u/secret-token' } }, 'incoming request')
    expect(entries()[0]!['req']).toEqual({ id: 'r', method: 'GET', route: null })
  })
})
