import type { WorkflowHandle } from '@temporalio/client'
import type { TestWorkflowEnvironment } from '@temporalio/testing'
import { Worker } from '@temporalio/worker'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NurtureSequence } from '../../domain/journey/nurture-sequence.rules.js'
import { registerSearchAttributes } from '../../platform/temporal/register-search-attributes.js'
import {
  contactabilityChanged,
  getJourneyState,
  LEAD_JOURNEY_WORKFLOW,
  leadJourneyId,
} from '../../workflows/lead-journey.messages.js'
import { JOURNEY_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js'
import { uniqueTaskQueue, workflowBundle } from '../support/temporal.js'
import { fakeActivities, type FakeOptions } from './support/fake-activities.js'
import { createTimeSkippingEnv } from './support/time-skipping.js'

/*
 * SMS steps in the journey and what a DND result does to them: DND covers SMS (and calls)
 * only, so it cancels the SMS steps and lets email go on; when the SMS steps were all that
 * was left, the sequence is over. A signal from before SMS existed changes what it always did.
 */

const MIXED: NurtureSequence = {
  id: 'mixed',
  version: 1,
  steps: [
    { id: 'welcome', channel: 'email', template: 'nurture-welcome', afterHours: 0 },
    { id: 'text-1', channel: 'sms', template: 'sms-intro', afterHours: 24 },
    { id: 'value', channel: 'email', template: 'nurture-value', afterHours: 48 },
    { id: 'text-2', channel: 'sms', template: 'sms-follow-up', afterHours: 72 },
  ],
}
const SMS_TAIL: NurtureSequence = {
  id: 'sms-tail',
  version: 1,
  steps: [
    { id: 'welcome', channel: 'email', template: 'nurture-welcome', afterHours: 0 },
    { id: 'text-1', channel: 'sms', template: 'sms-intro', afterHours: 24 },
    { id: 'text-2', channel: 'sms', template: 'sms-follow-up', afterHours: 48 },
  ],
}

let env: TestWorkflowEnvironment
let leadSeq = 0

beforeAll(async () => {
  env = await createTimeSkippingEnv()
  await registerSearchAttributes(env.connection, env.namespace ?? 'default', JOURNEY_SEARCH_ATTRIBUTES)
})
afterAll(async () => {
  await env?.teardown()
})

async function withJourney(
  options: FakeOptions,
  body: (ctx: { handle: WorkflowHandle; fake: ReturnType<typeof fakeActivities> }) => Promise<void>,
) {
  const taskQueue = uniqueTaskQueue('journey-sms')
  const fake = fakeActivities(options)
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: fake.activities,
  })
  const leadId = `01a20c45-0000-7000-8000-5a5${String(++leadSeq).padStart(9, '0')}`
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(LEAD_JOURNEY_WORKFLOW, {
      workflowId: leadJourneyId(leadId),
      taskQueue,
      args: [{ leadId }],
    })
    try {
      await body({ handle, fake })
    } finally {
      await handle.terminate('test over').catch(() => undefined)
    }
  })
}

const dnd = { email: true, whatsapp: false, sms: false, reason: 'dnd', at: '2026-03-10T06:00:00.000Z' }

describe('leadJourney SMS steps', () => {
  it('sends SMS steps on their channel when the lead may get SMS', async () => {
    await withJourney(
      { policy: { sequence: MIXED }, context: { channels: { email: true, whatsapp: false, sms: true } } },
      async ({ handle, fake }) => {
        await env.sleep('4 days')
        expect(fake.of('sendNurtureMessage').map((c) => [c.input.stepId, c.input.channel])).toEqual([
          ['welcome', 'email'],
          ['text-1', 'sms'],
          ['value', 'email'],
          ['text-2', 'sms'],
        ])
        expect((await handle.query(getJourneyState)).channels).toEqual({
          email: true,
          whatsapp: false,
          sms: true,
        })
      },
    )
  })

  it('cancels only the SMS steps on DND: email goes on', async () => {
    await withJourney(
      { policy: { sequence: MIXED }, context: { channels: { email: true, whatsapp: false, sms: true } } },
      async ({ handle, fake }) => {
        await env.sleep('1 hour')
        await handle.signal(contactabilityChanged, dnd)
        await env.sleep('4 days')
        expect(fake.of('sendNurtureMessage').map((c) => c.input.stepId)).toEqual(['welcome', 'value'])
        const { sequence } = await handle.query(getJourneyState)
        expect(sequence.stoppedReason).toBeNull()
        expect(sequence.steps.map((s) => [s.stepId, s.status, s.note ?? null])).toEqual([
          ['welcome', 'sent', null],
          ['text-1', 'cancelled', 'dnd'],
          ['value', 'sent', null],
          ['text-2', 'cancelled', 'dnd'],
        ])
      },
    )
  })

  it('stops the sequence when DND cancels the last steps it had left', async () => {
    await withJourney(
      { policy: { sequence: SMS_TAIL }, context: { channels: { email: true, whatsapp: false, sms: true } } },
      async ({ handle, fake }) => {
        await env.sleep('1 hour')
        await handle.signal(contactabilityChanged, dnd)
        await env.sleep('3 days')
        expect(fake.of('sendNurtureMessage').map((c) => c.input.stepId)).toEqual(['welcome'])
        expect((await handle.query(getJourneyState)).sequence).toMatchObject({
          stoppedReason: 'dnd',
          steps: [
            { stepId: 'welcome', status: 'sent' },
            { stepId: 'text-1', status: 'cancelled', note: 'dnd' },
            { stepId: 'text-2', status: 'cancelled', note: 'dnd' },
          ],
        })
      },
    )
  })

  it('applies a signal sent before SMS existed as it always did', async () => {
    await withJourney({ context: { channels: { email: true, whatsapp: true } } }, async ({ handle }) => {
      await env.sleep('1 hour')
      await handle.signal(contactabilityChanged, {
        email: true,
        whatsapp: false,
        reason: 'opted_out',
        at: '2026-03-10T06:00:00.000Z',
      })
      await env.sleep('1 minute')
      const state = await handle.query(getJourneyState)
      expect(state.channels).toEqual({ email: true, whatsapp: false })
      expect(state.sequence.stoppedReason).toBeNull()
      expect(state.sequence.steps.filter((s) => s.channel === 'whatsapp').map((s) => s.status)).toEqual([
        'cancelled',
        'cancelled',
      ])
    })
  })
})
