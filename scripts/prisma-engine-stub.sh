#!/bin/sh
# Stand-in for Prisma's native schema engine, which `prisma generate` insists on locating
# but never runs, and which cannot be downloaded without internet. Migrations go through
# the WebAssembly engine instead (scripts/migrate.ts).
if [ "$1" = "--version" ]; then echo "schema-engine-cli offline-stub (migrations: npm run db:migrate)"; exit 0; fi
echo "The native Prisma schema engine is not used by Leadwire; run: npm run db:migrate | db:migration -- --name <name> | db:status" >&2
exit 1
