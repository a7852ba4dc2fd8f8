import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/*
 * The web console is a static bundle built by Vite from console/ into console/dist, which
 * the API serves. It is built at install time (postinstall), and again by `npm run dev` and
 * the test run whenever its sources changed since the last build: a fingerprint of the
 * sources and the lockfile is kept next to the bundle, so an unchanged console costs a hash.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const CONSOLE_SOURCE = path.join(ROOT, 'console')
/** Where the bundle goes and is served from; LEADWIRE_CONSOLE_DIST lets parallel test runs keep their own. */
export const CONSOLE_DIST = process.env['LEADWIRE_CONSOLE_DIST'] ?? path.join(CONSOLE_SOURCE, 'dist')
const STAMP = path.join(CONSOLE_DIST, '.source-hash')

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const nested = await Promise.all(
    entries
      .filter((e) => e.name !== 'dist' && e.name !== 'node_modules')
      .map((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : [path.join(dir, e.name)])),
  )
  return nested.flat().sort()
}

async function fingerprint(): Promise<string> {
  const hash = createHash('sha256')
  for (const file of [...(await sourceFiles(CONSOLE_SOURCE)), path.join(ROOT, 'package-lock.json')]) {
    hash.update(path.relative(ROOT, file)).update('\0')
    hash.update(await readFile(file)).update('\0')
  }
  return hash.digest('hex')
}

export interface ConsoleBuild {
  built: boolean
  ms: number
}

/** Builds console/dist unless it already holds a build of these exact sources. */
export async function buildConsoleIfStale(options: { force?: boolean } = {}): Promise<ConsoleBuild> {
  const t0 = performance.now()
  const wanted = await fingerprint()
  const current = existsSync(STAMP) ? (await readFile(STAMP, 'utf8')).trim() : null
  if (!options.force && current === wanted && existsSync(path.join(CONSOLE_DIST, 'index.html')))
    return { built: false, ms: performance.now() - t0 }
  // Imported here, not at the top: the API process never loads Vite.
  const { build } = await import('vite')
  await build({
    configFile: path.join(CONSOLE_SOURCE, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: CONSOLE_DIST },
  })
  await writeFile(STAMP, wanted + '\n')
  return { built: true, ms: performance.now() - t0 }
}
