import type { CaptureResult } from '../../ingestion/pipeline.js'
import { LeadwireError } from '../../platform/errors.js'
import type { ConnectorContext } from '../sdk/connector.js'
import type { InteractionResult } from '../sdk/intake.js'
import {
  attendanceInteraction,
  deliveryKeys,
  registrationActivity,
  registrationCapture,
  repoint,
} from './parse.js'
import type { EventAttendance, EventRegistration, ItemOutcome } from './schemas.js'

/*
 * One registration or attendance through intake, each its own delivery. `base` is where
 * the item sits in the request (`/body` or `/body/items/<i>`), for the pipeline's field
 * errors to point at what the sender wrote.
 */

export async function handleRegistration(
  ctx: ConnectorContext,
  r: EventRegistration,
  base: string,
  requestId: string,
): Promise<ItemOutcome> {
  const result = await pointErrors(`${base}/registrant`, () =>
    ctx.intake.capture(
      registrationCapture(r, ctx.clock().toISOString()),
      { key: deliveryKeys.registration(r), raw: r, requestId },
      registrationActivity(r),
    ),
  )
  if (!result.replayed) await ctx.status.touched()
  return {
    ok: true,
    leadId: result.duplicateOf ?? result.id,
    outcome: result.outcome,
    replayed: result.replayed,
  }
}

export async function handleAttendance(
  ctx: ConnectorContext,
  a: EventAttendance,
  base: string,
  requestId: string,
): Promise<ItemOutcome> {
  const { person, activity, ifUnknown } = attendanceInteraction(a, ctx.clock().toISOString())
  const result = await pointErrors(`${base}/attendee`, () =>
    ctx.intake.interaction(
      person,
      { event: 'eventAttended', activity, ifUnknown },
      { key: deliveryKeys.attendance(a), raw: a, requestId },
    ),
  )
  if (!result.replayed) await ctx.status.touched()
  return {
    ok: true,
    leadId: result.leadId,
    outcome: outcomeOf(result),
    replayed: result.replayed,
  }
}

/**
 * `engaged` for an attendance on a known lead; a capture's outcome, also when replayed: a
 * redelivery whose first delivery made the lead gets that capture's stored answer back.
 */
function outcomeOf(result: InteractionResult): NonNullable<ItemOutcome['outcome']> {
  const first = result.result as Partial<CaptureResult>
  return first.outcome ?? 'engaged'
}

async function pointErrors<T>(personPath: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (err instanceof LeadwireError && err.status < 500 && err.options.errors?.length) {
      throw new LeadwireError(err.code, err.status, err.message, {
        ...err.options,
        errors: err.options.errors.map((e) => ({ ...e, pointer: repoint(e.pointer, personPath) })),
        cause: err,
      })
    }
    throw err
  }
}

/** A refused item in a batch, as the single request would have been refused. Unexpected failures are not caught. */
export function refusal(err: unknown): ItemOutcome {
  if (err instanceof LeadwireError && err.status < 500) {
    return {
      ok: false,
      status: err.status,
      code: err.code,
      detail: err.message,
      ...(err.options.errors?.length ? { errors: err.options.errors } : {}),
    }
  }
  throw err
}
