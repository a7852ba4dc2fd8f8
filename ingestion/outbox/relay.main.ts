// Process entry: `npm run relay`. A standalone outbox relay, for deployments that keep it
// apart from the workers (set OUTBOX_RELAY_ENABLED=false on the workers then).
import { createPrisma } from '../../platform/database/prisma.js'
import { requireExternalServices } from '../../platform/process/external-services.js'
import { runMain } from '../../platform/process/main.js'
import { createTemporalClient } from '../../platform/temporal/connection.js'
import { createPayloadCodec } from '../../platform/temporal/payload-codec.js'
import { OutboxRelay, relaySettings } from './relay.js'

await runMain('relay', async (config, log) => {
  const { databaseUrl, temporalAddress } = requireExternalServices(config, 'relay')
  const db = createPrisma(databaseUrl, config.DATABASE_POOL_MAX)
  const { codec } = createPayloadCodec(db, config)
  const { client, connection } = createTemporalClient({ ...config, address: temporalAddress }, codec)
  const relay = new OutboxRelay({
    db,
    databaseUrl,
    dispatch: { temporal: client, taskQueue: config.TEMPORAL_TASK_QUEUE },
    log,
    ...relaySettings(config),
  })
  await relay.start()
  return {
    async stop() {
      await relay.stop()
      await Promise.allSettled([db.$disconnect(), connection.close()])
    },
  }
})
