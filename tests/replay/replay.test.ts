import { readdir, readFile } from 'node:fs/promises'
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js'
import { Worker } from '@temporalio/worker'
import { describe, expect, it } from 'vitest'
import { workflowBundle } from '../support/temporal.js'

/*
 * Histories recorded from our own workflow tests (RECORD_HISTORIES=1 npm test), never from
 * production. Replaying them with today's code catches non-deterministic changes before
 * a deploy strands running journeys: such a change must ship behind patched().
 */
const ROOT = new URL('./histories/', import.meta.url)

async function histories(): Promise<
  { workflowType: string; file: string; history: ReturnType<typeof historyFromJSON> }[]
> {
  const out = []
  for (const workflowType of await readdir(ROOT)) {
    for (const file of await readdir(new URL(`${workflowType}/`, ROOT))) {
      if (!file.endsWith('.json')) continue
      const history = historyFromJSON(
        JSON.parse(await readFile(new URL(`${workflowType}/${file}`, ROOT), 'utf-8')),
      )
      out.push({ workflowType, file, history })
    }
  }
  return out
}

describe('recorded workflow histories replay on the current code', async () => {
  const recorded = await histories()
  it('has recorded histories to guard', () => {
    expect(recorded.length).toBeGreaterThan(0)
  })
  for (const { workflowType, file, history } of recorded) {
    it(`${workflowType}/${file}`, async () => {
      await expect(
        Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, `replay-${file}`),
      ).resolves.toBeUndefined()
    })
  }
})
