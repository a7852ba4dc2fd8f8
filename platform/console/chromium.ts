import { existsSync } from 'node:fs'

/*
 * The Chromium that drives the console's browser tests and benchmark: Debian's package
 * (Playwright's own browser download needs a host we cannot reach), or CHROMIUM_PATH.
 */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']

export function chromiumPath(): string | undefined {
  const given = process.env['CHROMIUM_PATH']
  if (given) return existsSync(given) ? given : undefined
  return CANDIDATES.find((c) => existsSync(c))
}

export function findChromium(): string {
  const found = chromiumPath()
  if (!found)
    throw new Error(
      'No Chromium found: install it (Debian/Ubuntu: apt-get install chromium; `npm install` does this ' +
        'when run as root) or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    )
  return found
}
