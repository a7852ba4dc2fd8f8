import type { QuietHours } from '../../../domain/journey/quiet-hours.rules.js'

/** Quiet hours that never apply: for tests whose timing is not about quiet hours. */
export const NEVER_QUIET: QuietHours = { start: '00:00', end: '00:00', weekendsQuiet: false }
