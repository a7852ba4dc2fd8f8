import { defineConfig } from 'prisma/config'

// Used by `prisma generate` (npm run db:generate). Migrations do not go through the Prisma
// CLI here: scripts/migrate.ts drives the same engine compiled to WebAssembly.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
})
