import { existsSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findTemporalCli, findTemporalTestServer, TOOLS_VENV } from '../../../platform/temporal/tools.js'

let root: string
/** A PATH directory holding executables named `temporal` and `temporal-test-server`. */
let binA: string
/** A second PATH directory with the same names (order matters). */
let binB: string
/** A PATH directory with neither. */
let emptyDir: string
/** A standalone binary passed as an explicit path. */
let explicitCli: string

async function executable(file: string): Promise<string> {
  await writeFile(file, '#!/bin/sh\nexit 0\n')
  await chmod(file, 0o755)
  return file
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'leadwire-tools-'))
  binA = path.join(root, 'a')
  binB = path.join(root, 'b')
  emptyDir = path.join(root, 'empty')
  await Promise.all([mkdir(binA), mkdir(binB), mkdir(emptyDir)])
  await Promise.all([
    executable(path.join(binA, 'temporal')),
    executable(path.join(binA, 'temporal-test-server')),
    executable(path.join(binB, 'temporal')),
    executable(path.join(binB, 'temporal-test-server')),
  ])
  explicitCli = await executable(path.join(root, 'my-temporal'))
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

const pathOf = (...dirs: string[]) => dirs.join(path.delimiter)

describe('findTemporalCli', () => {
  it('uses an explicit path first, even when PATH has one', () => {
    expect(findTemporalCli(explicitCli, pathOf(binA))).toEqual({ path: explicitCli, source: 'explicit' })
  })

  it('throws, naming TEMPORAL_CLI_PATH and the path, when the explicit path does not exist', () => {
    const missing = path.join(root, 'nope', 'temporal')
    expect(() => findTemporalCli(missing, pathOf(binA))).toThrow(/TEMPORAL_CLI_PATH/)
    expect(() => findTemporalCli(missing, pathOf(binA))).toThrow(missing)
  })

  it('treats an empty explicit path as unset and looks on PATH', () => {
    expect(findTemporalCli('', pathOf(binA))).toEqual({ path: path.join(binA, 'temporal'), source: 'PATH' })
  })

  it('finds `temporal` on PATH', () => {
    expect(findTemporalCli(undefined, pathOf(binA))).toEqual({
      path: path.join(binA, 'temporal'),
      source: 'PATH',
    })
  })

  it('takes the first PATH entry that has it, skipping empty entries and entries without it', () => {
    expect(findTemporalCli(undefined, pathOf('', emptyDir, binB, binA))).toEqual({
      path: path.join(binB, 'temporal'),
      source: 'PATH',
    })
    expect(findTemporalCli(undefined, pathOf(binA, binB))).toEqual({
      path: path.join(binA, 'temporal'),
      source: 'PATH',
    })
  })

  it.runIf(existsSync(path.join(TOOLS_VENV, 'bin', 'temporal')))(
    'falls back to the project-local install when PATH has none',
    () => {
      const local = path.join(TOOLS_VENV, 'bin', 'temporal')
      expect(findTemporalCli(undefined, '')).toEqual({ path: local, source: 'project' })
      expect(findTemporalCli(undefined, pathOf(emptyDir))).toEqual({ path: local, source: 'project' })
    },
  )
})

describe('findTemporalTestServer', () => {
  it('uses an explicit path first, even when PATH has one', () => {
    expect(findTemporalTestServer(explicitCli, pathOf(binA))).toEqual({
      path: explicitCli,
      source: 'explicit',
    })
  })

  it('finds `temporal-test-server` on PATH, first entry wins', () => {
    expect(findTemporalTestServer(undefined, pathOf(emptyDir, binB, binA))).toEqual({
      path: path.join(binB, 'temporal-test-server'),
      source: 'PATH',
    })
  })

  it('does not mistake the `temporal` CLI for the test server', async () => {
    const onlyCli = path.join(root, 'only-cli')
    await mkdir(onlyCli)
    await executable(path.join(onlyCli, 'temporal'))
    const found = findTemporalTestServer(undefined, pathOf(onlyCli))
    expect(found.path).not.toBe(path.join(onlyCli, 'temporal'))
    expect(found.source).not.toBe('PATH')
  })

  it.runIf(existsSync(path.join(TOOLS_VENV, 'bin', 'temporal-test-server')))(
    'falls back to the project-local install when PATH has none',
    () => {
      expect(findTemporalTestServer(undefined, '')).toEqual({
        path: path.join(TOOLS_VENV, 'bin', 'temporal-test-server'),
        source: 'project',
      })
    },
  )
})
