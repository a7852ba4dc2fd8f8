// Part of the postinstall: the console's browser tests drive Debian's Chromium (Playwright's
// own browser download needs a host we cannot reach). When none is installed and we are root
// on a Debian-like system, install it with apt-get; otherwise say how, without failing the
// install (the API and the hub run without it; only `npm test` needs it).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chromiumPath } from '../platform/console/chromium.js'

if (process.env['LEADWIRE_SKIP_TOOLS'] === '1' || chromiumPath()) process.exit(0)

const apt = (args: string[]) =>
  spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
    .status === 0

if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
  console.log('[leadwire] installing Chromium for the console tests (apt-get install chromium)')
  if (
    apt(['install', '-y', '-qq', 'chromium']) ||
    (apt(['update', '-qq']) && apt(['install', '-y', '-qq', 'chromium']))
  )
    process.exit(0)
}
console.warn(
  '\n[leadwire] No Chromium found: the console browser tests need one.\n' +
    '  Debian/Ubuntu: sudo apt-get install chromium; elsewhere set CHROMIUM_PATH to a Chromium or Chrome binary.\n',
)
