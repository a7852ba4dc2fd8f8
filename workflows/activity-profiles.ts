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
