import { Worker } from '@temporalio/worker'
import { describe, expect, it } from 'vitest'
import { DEFAULT_NURTURE_SEQUENCE } from '../../domain/journey/nurture-sequence.rules.js'
import { waitFor } from '../../platform/process/child-process.js'
import {
  getJourneyState,
  LEAD_JOURNEY_WORKFLOW,
  leadJourneyId,
} from '../../workflows/lead-journey.messages.js'
import { uniqueTaskQueue, workflowBundle } from '../support/temporal.js'
import { useDevServer } from './support/dev-server.js'
import { fakeActivities } from './support/fake-activities.js'

/*
 * A worker restart on the real Temporal dev server, in real time: the cadence is the
 * default sequence compressed to seconds. (The time-skipping server holds its clock for a
 * workflow task handed to a poller that has gone, so a restart is tested here instead.)
 */

const server = useDevServer()

/** The default five emails, 1.5 s apart instead of days. */
const FAST_SEQUENCE = {
  ...DEFAULT_NURTURE_SEQUENCE,
  steps: DEFAULT_NURTURE_SEQUENCE.steps
    .filter((s) => s.channel === 'email')
    .map((s, i) => ({ ...s, afterHours: (i * 1.5) / 3600 })),
}

describe('leadJourney across a worker restart', () => {
  it('loses nothing: every email is sent exactly once, the rest by the new worker', async () => {
    const taskQueue = uniqueTaskQueue('restart')
    const leadId = '01a20c45-0000-7000-8000-00000000aa01'
    const options = { policy: { sequence: FAST_SEQUENCE } }
    const first = fakeActivities(options)
    const worker1 = await Worker.create({
      connection: server.native,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: first.activities,
    })
    const handle = await worker1.runUntil(async () => {
      const h = await server.client.workflow.start(LEAD_JOURNEY_WORKFLOW, {
        workflowId: leadJourneyId(leadId),
        taskQueue,
        args: [{ leadId }],
      })
      await waitFor(async () => first.of('sendNurtureMessage').length >= 2, 15_000, 'two emails')
      return h
    })
    const second = fakeActivities(options)
    const worker2 = await Worker.create({
      connection: server.native,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: second.activities,
    })
    try {
      await worker2.runUntil(
        waitFor(
          async () => (await handle.query(getJourneyState)).sequence.steps.every((s) => s.status === 'sent'),
          30_000,
          'all five emails',
        ),
      )
      const sent = [...first.of('sendNurtureMessage'), ...second.of('sendNurtureMessage')].map(
        (c) => c.input.stepId,
      )
      expect(sent).toEqual(['welcome', 'value', 'case-study', 'check-in', 'breakup'])
      expect(second.of('sendNurtureMessage').length).toBeGreaterThan(0)
      // The new worker rebuilt the journey from its history: it never reloaded the lead.
      expect(second.of('loadJourneyContext')).toHaveLength(0)
    } finally {
      await handle.terminate('test over').catch(() => undefined)
    }
  }, 60_000)
})
