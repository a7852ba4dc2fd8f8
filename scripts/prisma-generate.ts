// `prisma generate` without the native schema engine download (which needs internet):
// generation never runs the engine, it only wants a file to exist. On a machine that
// already has an engine (PRISMA_SCHEMA_ENGINE_BINARY set), that one is used.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const stub = fileURLToPath(new URL('./prisma-engine-stub.sh', import.meta.url))
const result = spawnSync('npx', ['--no-install', 'prisma', 'generate'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env['PRISMA_SCHEMA_ENGINE_BINARY'] ?? stub,
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
})
process.exit(result.status ?? 1)
