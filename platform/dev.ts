// Process entry: `npm run dev`. The whole hub on embedded defaults, in one command:
// PostgreSQL (unless DATABASE_URL), a Temporal dev server (unless TEMPORAL_ADDRESS),
// migrations, a worker with its outbox relay, and the API.
import path from 'node:path'
import { startApi, type RunningApi } from '../api/start-api.js'
import { buildConsoleIfStale } from './console/build-console.js'
import { ensureFirstAdmin } from '../security/first-admin.js'
import { JOURNEY_SEARCH_ATTRIBUTES } from '../workflows/search-attributes.js'
import { migrateDeploy } from './database/migrator.js'
import { createPrisma } from './database/prisma.js'
import { resolveDatabase, type ResolvedDatabase } from './database/resolve-database.js'
import { runMain } from './process/main.js'
import { startWorker, type RunningWorker } from './start-worker.js'
import { startTemporalDevServer, type DevServer } from './temporal/dev-server.js'

await runMain('dev', async (config, log) => {
  const t0 = performance.now()
  const since = () => Math.round(performance.now() - t0)
  let database: ResolvedDatabase | undefined
  let temporal: DevServer | undefined
  let worker: RunningWorker | undefined
  let api: RunningApi | undefined
  // Stop in reverse order of start: requests drain before the services under them go.
  const stop = async () => {
    await api?.close()
    await worker?.stop()
    await temporal?.stop()
    await database?.stop()
  }
  try {
    database = await resolveDatabase(config, log)
    const applied = await migrateDeploy(database.url)
    log.info({ ms: since(), embedded: database.embedded, applied }, 'PostgreSQL ready')
    // Every route but health and public forms needs a credential: a fresh hub gets an admin
    // to sign in with, its password shown once below (never logged).
    const bootstrap = createPrisma(database.url, 1)
    const firstAdmin = await ensureFirstAdmin(bootstrap, new Date()).finally(() => bootstrap.$disconnect())

    let temporalAddress = config.TEMPORAL_ADDRESS
    let temporalUi = config.TEMPORAL_UI_URL
    if (!temporalAddress) {
      temporal = await startTemporalDevServer({
        cliPath: config.TEMPORAL_CLI_PATH,
        dbFile: path.join(config.DATA_DIR, 'temporal.db'),
        port: config.TEMPORAL_DEV_PORT,
        uiPort: config.TEMPORAL_UI_PORT,
        // The UI shows journeys' payloads decoded through the API, for those allowed to read them.
        uiCodecEndpoint: `${config.PUBLIC_BASE_URL ?? `http://${config.HOST}:${config.PORT}`}/codec`,
        namespace: config.TEMPORAL_NAMESPACE,
        searchAttributes: JOURNEY_SEARCH_ATTRIBUTES,
        log,
      })
      temporalAddress = temporal.address
      temporalUi ??= temporal.uiUrl
      log.info({ ms: since(), address: temporalAddress }, 'Temporal dev server ready')
    }

    const targets = { databaseUrl: database.url, temporalAddress }
    worker = await startWorker(config, targets, log.child({ process: 'worker' }))
    worker.done.catch((err: unknown) => log.error({ err }, 'worker stopped unexpectedly'))
    // The console's bundle is rebuilt only when its sources changed (a hash otherwise).
    const consoleBuild = await buildConsoleIfStale()
    if (consoleBuild.built) log.info({ ms: Math.round(consoleBuild.ms) }, 'web console built')
    // This hub serves plain http on loopback, where not every browser keeps a Secure cookie;
    // SESSION_COOKIE_SECURE set explicitly still wins.
    const apiConfig = {
      ...config,
      ...(process.env['SESSION_COOKIE_SECURE'] === undefined ? { SESSION_COOKIE_SECURE: false } : {}),
      // Its own Temporal UI may call the codec endpoint with the console's session cookie.
      TEMPORAL_CODEC_ORIGINS: [config.TEMPORAL_CODEC_ORIGINS, temporalUi ? new URL(temporalUi).origin : '']
        .filter(Boolean)
        .join(','),
    }
    api = await startApi(apiConfig, targets, log.child({ process: 'api' }))

    const lines = [
      '',
      `  Leadwire is running (ready in ${(since() / 1000).toFixed(1)} s)`,
      `  Console      ${api.url}/console/`,
      `  API          ${api.url}`,
      `  API docs     ${api.url}/docs`,
      `  Readiness    ${api.url}/ready`,
      ...(temporalUi
        ? [`  Temporal UI  ${temporalUi}/namespaces/${config.TEMPORAL_NAMESPACE}/workflows`]
        : []),
      `  PostgreSQL   ${database.embedded ? `embedded, port ${config.EMBEDDED_PG_PORT}, data in ${config.DATA_DIR}` : 'DATABASE_URL'}`,
      ...(firstAdmin
        ? [
            '',
            `  First admin  ${firstAdmin.email}  password ${firstAdmin.password}`,
            '               (shown this once; change it with POST /v1/auth/password, or reset it with',
            '               npm run admin:create -- --email ' + firstAdmin.email + ' --name Admin)',
            `  Sign in      curl -s ${api.url}/v1/auth/login -H 'content-type: application/json' \\`,
            `                 -d '{"email":"${firstAdmin.email}","password":"${firstAdmin.password}"}'`,
            '               then send the token it returns: -H "Authorization: Bearer lws_…"',
            '',
          ]
        : []),
      '  Stop with Ctrl-C.',
      '',
    ]
    process.stdout.write(lines.join('\n') + '\n')
  } catch (err) {
    await stop()
    throw err
  }
  return { stop }
})
