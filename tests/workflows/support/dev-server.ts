import { Client, Connection } from '@temporalio/client'
import { NativeConnection } from '@temporalio/worker'
import { afterAll, beforeAll, inject } from 'vitest'
import { installTemporalRuntime } from '../../../platform/temporal/runtime.js'
import { silentLog } from '../../support/temporal.js'

/**
 * A client and a worker connection to the shared real dev server, for workflow tests that
 * switch workers mid-flight (the time-skipping server holds its clock for a task handed to a
 * poller that has gone). Read `.client` and `.native` inside tests.
 */
export function useDevServer(): { client: Client; native: NativeConnection } {
  const ctx = {} as { client: Client; native: NativeConnection; connection: Connection }
  beforeAll(async () => {
    installTemporalRuntime(silentLog)
    ctx.connection = await Connection.connect({ address: inject('temporalAddress') })
    ctx.client = new Client({ connection: ctx.connection })
    ctx.native = await NativeConnection.connect({ address: inject('temporalAddress') })
  })
  afterAll(async () => {
    await ctx.connection?.close()
    await ctx.native?.close()
  })
  return ctx
}
