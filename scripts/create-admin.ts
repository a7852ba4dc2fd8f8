// Creates the first admin, or makes someone admin again with a new password:
//   npm run admin:create -- --email a@b.c --name "A B" [--id x]
// The password comes from LEADWIRE_ADMIN_PASSWORD, or a random one is printed once.
// Uses DATABASE_URL when set; otherwise the embedded PostgreSQL under DATA_DIR (migrated
// already: npm run db:migrate, or one run of npm run dev).
import { parseArgs } from 'node:util'
import { loadConfig } from '../platform/config.js'
import { createPrisma } from '../platform/database/prisma.js'
import { resolveDatabase } from '../platform/database/resolve-database.js'
import { LeadwireError } from '../platform/errors.js'
import { createLogger } from '../platform/logger.js'
import { randomPassword, upsertAdmin } from '../security/first-admin.js'

const USAGE = 'usage: npm run admin:create -- --email a@b.c --name "A B" [--id x]'

const { values } = parseArgs({
  options: { email: { type: 'string' }, name: { type: 'string' }, id: { type: 'string' } },
})
if (!values.email || !values.name || !/^[^\s@]+@[^\s@]+$/.test(values.email)) {
  console.error(USAGE)
  process.exit(64) // EX_USAGE
}
const given = process.env['LEADWIRE_ADMIN_PASSWORD']
const password = given || randomPassword()

const config = loadConfig()
const log = createLogger(config, { name: 'create-admin' })
const database = await resolveDatabase(config, log)
const db = createPrisma(database.url, 1)
let exitCode = 0
try {
  const { id, created } = await upsertAdmin(
    db,
    'cli:create-admin',
    { email: values.email, name: values.name, id: values.id, password },
    new Date(),
  )
  console.log(`${created ? 'Created' : 'Updated'} admin ${values.email.toLowerCase()} (user id ${id}).`)
  if (!given) console.log(`Password (shown once, store it now): ${password}`)
} catch (err) {
  const reasons = err instanceof LeadwireError ? (err.options.errors ?? []).map((e) => e.message) : []
  const message = err instanceof Error ? err.message : String(err)
  console.error(reasons.length ? `${message} (${reasons.join('; ')})` : message)
  exitCode = 1
} finally {
  await db.$disconnect()
  await database.stop()
}
process.exit(exitCode)
