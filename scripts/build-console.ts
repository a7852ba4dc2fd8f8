// `npm run console:build` (and the postinstall): builds the web console into console/dist
// when its sources changed since the last build; `--force` rebuilds regardless.
import { buildConsoleIfStale, CONSOLE_DIST } from '../platform/console/build-console.js'

const result = await buildConsoleIfStale({ force: process.argv.includes('--force') })
console.log(
  result.built
    ? `[leadwire] web console built into ${CONSOLE_DIST} in ${(result.ms / 1000).toFixed(1)} s`
    : '[leadwire] web console is up to date',
)
