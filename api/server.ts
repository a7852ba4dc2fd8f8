// Process entry: `npm run api`. Connects to DATABASE_URL and TEMPORAL_ADDRESS; run as many as you like.
import { requireExternalServices } from '../platform/process/external-services.js'
import { runMain } from '../platform/process/main.js'
import { startApi } from './start-api.js'

await runMain('api', async (config, log) => {
  const api = await startApi(config, requireExternalServices(config, 'api'), log)
  return { stop: () => api.close() }
})
