import { mkdir, writeFile } from 'node:fs/promises'
import { Client, type WorkflowHandle } from '@temporalio/client'
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js'
import { TestWorkflowEnvironment } from '@temporalio/testing'
import { inject } from 'vitest'
import { installTemporalRuntime } from '../../../platform/temporal/runtime.js'
import { silentLog } from '../../support/temporal.js'

/**
 * The time-skipping test server from the project-local install (tests never download
 * anything), with the SDK's runtime logging silenced.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  installTemporalRuntime(silentLog)
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('temporalTestServerPath') } },
  })
}

const HISTORIES = new URL('../../replay/histories/', import.meta.url)

/**
 * Keeps a workflow's history as a replay fixture under tests/replay/histories/<folder>/
 * when RECORD_HISTORIES=1: tests/replay fails if a code change breaks it.
 */
export async function recordHistory(handle: WorkflowHandle, folder: string, name: string): Promise<void> {
  if (process.env['RECORD_HISTORIES'] !== '1') return
  const dir = new URL(`${folder}/`, HISTORIES)
  await mkdir(dir, { recursive: true })
  await writeFile(new URL(`${name}.json`, dir), historyToJSON(await handle.fetchHistory()) + '\n')
}

/**
 * The result of a workflow that is about to finish on its own (a signal has been sent),
 * read without letting the server skip time. Awaiting `handle.result()` through the test
 * environment's client unlocks time skipping while it waits: if the worker has not yet
 * picked up the signal, the server jumps to the workflow's next timer (years ahead for a
 * contract) and fires it first. A plain client does not unlock it.
 */
export async function resultOnceClosed<T>(
  env: TestWorkflowEnvironment,
  workflowId: string,
  timeoutMs = 20_000,
): Promise<T> {
  const client = new Client({ connection: env.connection, namespace: env.namespace ?? 'default' })
  const handle = client.workflow.getHandle(workflowId)
  const deadline = Date.now() + timeoutMs
  while ((await handle.describe()).status.name === 'RUNNING') {
    if (Date.now() > deadline) throw new Error(`${workflowId} still running after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 50))
  }
  return (await handle.result()) as T
}
