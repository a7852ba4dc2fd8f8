import { openTaskOnce } from '../../crm/tasks.js'
import { claimDelivery, deliveryActivityKey, replayDelivery } from '../../ingestion/inbound-delivery.js'
import type { Tx } from '../../platform/database/prisma.js'
import type { ConnectorContext } from '../sdk/connector.js'
import { twilioManifest } from './manifest.js'
import {
  deliveryKeys,
  isMissedCall,
  recordingPatch,
  statusPatch,
  type RecordingParams,
  type StatusParams,
} from './parse.js'

/*
 * What happens to a call after it rang: its outcome and its voicemail. Neither is a new
 * engagement (the call was counted when it came in), so these do not go through intake:
 * each claims its own delivery and updates the call's timeline entry in one transaction,
 * the same exactly-once rule intake follows (ingestion/inbound-delivery.ts).
 */

export interface CallUpdate {
  /** False when no incoming call with this CallSid was recorded (nothing to update). */
  known: boolean
  activityId: string | null
  leadId: string | null
  missed: boolean
  /** The call-back task a missed call opened (or had opened already). */
  taskId: string | null
  replayed: boolean
}

/** The call activity's dedupe key: intake records it under its delivery key. */
const callActivityKey = (callSid: string) =>
  deliveryActivityKey({ connectorId: twilioManifest.id, key: deliveryKeys.call(callSid) })

/** How soon an SDR should call back a missed caller. */
const CALLBACK_WITHIN_MS = 60 * 60 * 1000

/** A final call status or the Dial's outcome: merged into the call's details; a missed call opens a call-back task. */
export function recordCallStatus(ctx: ConnectorContext, p: StatusParams): Promise<CallUpdate> {
  const at = ctx.clock()
  return updateCall(ctx, deliveryKeys.status(p), p.CallSid, statusPatch(p, at.toISOString()), at, {
    openCallback: true,
  })
}

/** A voicemail: where the recording is, on the call's timeline entry. */
export function recordCallRecording(ctx: ConnectorContext, p: RecordingParams): Promise<CallUpdate> {
  return updateCall(ctx, deliveryKeys.recording(p.RecordingSid), p.CallSid, recordingPatch(p), ctx.clock(), {
    openCallback: false,
  })
}

type Stored = Omit<CallUpdate, 'replayed'>

async function updateCall(
  ctx: ConnectorContext,
  key: string,
  callSid: string,
  patch: Record<string, unknown>,
  at: Date,
  options: { openCallback: boolean },
): Promise<CallUpdate> {
  const delivery = { connectorId: twilioManifest.id, key }
  // Twilio retrying a callback it already got an answer for: one statement, no transaction.
  const earlier = await replayDelivery<Stored>(ctx.db, delivery, at)
  if (earlier) return { ...earlier.result, replayed: true }
  return ctx.db.$transaction(async (tx) => {
    const claim = await claimDelivery<Stored>(tx, delivery, at)
    if (claim.earlier) return { ...claim.earlier.result, replayed: true }
    // Merged in the database (jsonb ||): two callbacks of one call never lose each other's fields.
    const [call] = await tx.$queryRaw<
      { id: string; lead_id: string | null; details: Record<string, unknown> }[]
    >`
      UPDATE activity SET details = details || ${JSON.stringify(patch)}::jsonb
       WHERE dedupe_key = ${callActivityKey(callSid)}
      RETURNING id, lead_id, details`
    if (!call) {
      // A callback for a call we never recorded (its voice webhook was refused, or it came
      // in before this connector was on): acknowledged and listed in the ledger as ignored.
      const result: Stored = { known: false, activityId: null, leadId: null, missed: false, taskId: null }
      await claim.remember({ outcome: 'ignored', result })
      return { ...result, replayed: false }
    }
    const missed = options.openCallback && isMissedCall(call.details)
    const taskId =
      missed && call.lead_id
        ? await openCallbackTask(tx, ctx.actor.id, call.lead_id, callSid, call.details, at)
        : null
    const result: Stored = { known: true, activityId: call.id, leadId: call.lead_id, missed, taskId }
    await claim.remember({ outcome: 'activity', leadId: call.lead_id, activityId: call.id, result })
    return { ...result, replayed: false }
  })
}

/**
 * The SDR task a missed call opens: call the person back within the hour. Keyed by CallSid,
 * so the Dial's action and the final status callback of one missed call open one task.
 * Opened once per CallSid (crm/tasks.ts openTaskOnce). The workflow id makes completing it
 * signal the lead's journey (crm/tasks.ts completeTask).
 */
async function openCallbackTask(
  tx: Tx,
  actorId: string,
  leadId: string,
  callSid: string,
  details: Record<string, unknown>,
  at: Date,
): Promise<string> {
  const lead = await tx.lead.findUniqueOrThrow({
    where: { id: leadId },
    select: { ownerId: true, phone: true },
  })
  const phone = typeof details['from'] === 'string' ? details['from'] : (lead.phone ?? 'the caller')
  const task = await openTaskOnce(tx, {
    kind: 'missed_call_callback',
    title: `Call back ${phone}`,
    leadId,
    assigneeId: lead.ownerId,
    queue: lead.ownerId ? null : 'sdr',
    dueAt: new Date(at.getTime() + CALLBACK_WITHIN_MS),
    workflowId: `lead/${leadId}`,
    dedupeKey: `missed-call:${callSid}`,
    actorId,
  })
  return task.id
}
