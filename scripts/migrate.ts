// Offline `prisma migrate`: npm run db:migrate | db:migration -- --name <snake_case> | db:status
// Uses DATABASE_URL when set; otherwise starts the embedded PostgreSQL from DATA_DIR.
import { parseArgs } from 'node:util'
import { loadConfig } from '../platform/config.js'
import { Migrator } from '../platform/database/migrator.js'
import { resolveDatabase } from '../platform/database/resolve-database.js'
import { createLogger } from '../platform/logger.js'

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { name: { type: 'string' }, 'create-only': { type: 'boolean', default: false } },
})
const command = positionals[0]
const config = loadConfig()
const log = createLogger(config, { name: 'migrate' })
const database = await resolveDatabase(config, log)
const migrator = await Migrator.open({ databaseUrl: database.url })
let exitCode = 0
try {
  if (command === 'deploy') {
    const applied = await migrator.deploy()
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'No pending migrations.')
  } else if (command === 'create') {
    if (!values.name)
      throw new Error('usage: npm run db:migration -- --name <snake_case_name> [--create-only]')
    const created = await migrator.createMigration(values.name, { apply: !values['create-only'] })
    console.log(
      created ? `Created prisma/migrations/${created}` : 'The schema has not changed: no migration created.',
    )
  } else if (command === 'status') {
    const status = await migrator.status()
    console.log(JSON.stringify(status, null, 2))
    if (status.failedMigrationNames.length || status.editedMigrationNames.length) exitCode = 1
  } else if (command === 'diff') {
    process.stdout.write(await migrator.diffFromEmpty())
  } else {
    throw new Error(`unknown command "${command ?? ''}": use deploy | create --name X | status | diff`)
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : err)
  exitCode = 1
} finally {
  await migrator.close()
  await database.stop()
}
// The engine's pg pool would keep the process alive for its idle timeout.
process.exit(exitCode)
