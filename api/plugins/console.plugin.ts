import { existsSync } from 'node:fs'
import path from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { CONSOLE_DIST } from '../../platform/console/build-console.js'

/*
 * The web console, served by the API process from the Vite build in console/dist. It is a
 * single-page app: hashed assets are cached for a year, and every other /console/ path
 * answers index.html so a deep link (a lead's page) opens straight away. The files are
 * public (they hold no data); everything the console shows comes from the /v1 API under
 * the signed-in person's session.
 */
const ASSETS = path.join(CONSOLE_DIST, 'assets')
const NOT_BUILT =
  '<!doctype html><meta charset="utf-8"><title>Leadwire</title>' +
  '<p>The web console is not built. Run <code>npm run console:build</code> and reload.</p>'

export default fp(
  async function webConsole(app: FastifyInstance) {
    await app.register(fastifyStatic, { root: CONSOLE_DIST, serve: false, decorateReply: true })
    const access = { access: 'public' as const }
    const hide = { hide: true }

    app.get('/', { config: access, schema: hide }, async (_request, reply) => reply.redirect('/console/'))
    app.get('/console', { config: access, schema: hide }, async (_request, reply) =>
      reply.redirect('/console/'),
    )

    app.get<{ Params: { '*': string } }>(
      '/console/assets/*',
      { config: access, schema: hide },
      async (request, reply) => {
        const file = request.params['*']
        // Vite names each asset by its content hash: the same URL never changes.
        return reply
          .header('cache-control', 'public, max-age=31536000, immutable')
          .sendFile(file, ASSETS, { cacheControl: false })
      },
    )

    app.get('/console/*', { config: access, schema: hide }, async (_request, reply) => {
      reply.header('cache-control', 'no-cache')
      if (!existsSync(path.join(CONSOLE_DIST, 'index.html')))
        return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT)
      return reply.type('text/html; charset=utf-8').sendFile('index.html', { cacheControl: false })
    })
  },
  { name: 'console', dependencies: ['hardening'] },
)
