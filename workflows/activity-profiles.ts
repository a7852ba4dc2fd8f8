import type { ActivityOptions } from '@temporalio/workflow'

/*
 * Timeout and retry presets, one per kind of side effect. Every activity is idempotent,
 * so retrying is always safe; the presets only decide how patiently.
 */

/** Our own database: quick, retried until it is back. */
export const shortIo: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
}

/**
 * A vendor send (SendGrid, WhatsApp). Retried with growing pauses for about a day while
 * the vendor is down or throttling; a message the vendor refuses outright is not retried.
 * The activity's own claim row makes every retry safe (at most one send per step).
 */
export const vendorSend: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '15 minutes',
    maximumAttempts: 100,
    nonRetryableErrorTypes: ['EmailRejected'],
  },
}

/**
 * Converting a lead: one transaction, idempotent. A refusal (a rule the data breaks) is
 * final; an infrastructure failure is retried a few times, then reported to the caller.
 */
export const conversion: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
    maximumAttempts: 3,
    nonRetryableErrorTypes: ['ConversionRejected'],
  },
}
