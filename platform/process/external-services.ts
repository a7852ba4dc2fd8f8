import type { Config } from '../config.js'

/**
 * `npm run api`, `worker` and `relay` run against services someone else runs (several of
 * each can run side by side); only `npm run dev` starts embedded ones. Refuse to start
 * rather than silently start a private database no other replica can see.
 */
export function requireExternalServices(
  config: Config,
  process: string,
): { databaseUrl: string; temporalAddress: string } {
  const missing = [
    config.DATABASE_URL ? undefined : 'DATABASE_URL',
    config.TEMPORAL_ADDRESS ? undefined : 'TEMPORAL_ADDRESS',
  ].filter(Boolean)
  if (missing.length > 0 || !config.DATABASE_URL || !config.TEMPORAL_ADDRESS) {
    throw new Error(
      `npm run ${process} needs ${missing.join(' and ')}: it connects to shared services. ` +
        'To run everything on embedded services, use `npm run dev`.',
    )
  }
  return { databaseUrl: config.DATABASE_URL, temporalAddress: config.TEMPORAL_ADDRESS }
}
