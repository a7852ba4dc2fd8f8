import { describe, expect, it } from 'vitest'
import { useTestApp } from '../support/app.js'
import { ANONYMOUS } from '../support/auth.js'
import { testConfig } from '../support/config.js'

/*
 * Review findings on sign-in: the email a person types is matched exactly (in any case), never as a
 * pattern, and every spelling that reaches one account counts against that account's throttle.
 */

const ctx = useTestApp({ truncateAfterEach: true })
const config = testConfig()
const PASSWORD = 'correct horse battery staple'

async function createPerson(email: string, role = 'sdr'): Promise<string> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/users',
    payload: { name: 'Ravi Kumar', email, role, password: PASSWORD },
  })
  expect(res.statusCode, res.body).toBe(201)
  return res.json<{ id: string }>().id
}

const login = (email: string, password: string, remoteAddress = '198.51.100.7') =>
  ctx.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email, password },
    headers: { ...ANONYMOUS },
    remoteAddress,
  })

describe('login email matching', () => {
  it('does not treat LIKE wildcards in the typed email as patterns', async () => {
    await createPerson('ravi@example.in')
    for (const pattern of ['r_vi@example.in', 'ravi@example.i_', '%@example.in', '%']) {
      const res = await login(pattern, PASSWORD)
      expect(res.statusCode, `${pattern} signed in as ravi@example.in`).toBe(401)
    }
  })

  it('lets no more than LOGIN_MAX_FAILURES guesses at one account through, whatever the spelling', async () => {
    await createPerson('ravi@example.in')
    const spellings = [
      'r_vi@example.in',
      'ra_i@example.in',
      'rav_@example.in',
      '_avi@example.in',
      'ravi@_xample.in',
    ]
    // Many addresses, rotating spellings: no one spelling or address reaches its own limit.
    for (let round = 0; round < config.LOGIN_MAX_FAILURES * 3; round++) {
      const res = await login(
        spellings[round % spellings.length]!,
        `wrong ${round}`,
        `203.0.113.${round + 1}`,
      )
      expect(res.statusCode).toBe(401)
    }
    // The next guess, now the right one, must not sign in: the account had its share of guesses.
    const guess = await login('ravi@examp_e.in', PASSWORD, '203.0.113.200')
    expect(guess.statusCode, 'a throttled account still answered a guess').not.toBe(200)
  })
})
