import { expect, it } from 'vitest'
import { useTestApp } from '../support/app.js'
import { userWithRole } from '../support/auth.js'

/*
 * Review (security): Fastify's automatic HEAD twin of a connector's GET. The connector scope
 * copies the access from its manifest onto the GET only (api/routes/connectors/index.ts:
 * "HEAD without a declared endpoint: return"), so the twin falls back to 'authenticated'
 * (auth.plugin.ts publicByDefault) and runs the GET's handler for any signed-in caller,
 * whatever their role: its status and content-length answer what the GET refuses.
 */

const ctx = useTestApp()

it("refuses HEAD on a connector's GET to a role the GET refuses", async () => {
  const support = await userWithRole(ctx.database.db, 'support')
  const get = await ctx.app.inject({ url: '/v1/imports', headers: support.headers })
  expect(get.statusCode).toBe(403)
  const head = await ctx.app.inject({ method: 'HEAD', url: '/v1/imports', headers: support.headers })
  expect(head.statusCode).toBe(403)
})
