import { normaliseCapture } from '../../domain/lead/normalise.rules.js'
import type { DraftLead } from '../../domain/lead/draft-lead.js'
import type { LeadCapture } from '../../domain/lead/lead-capture.js'
import type { StepContext } from './assess.js'

export function normaliseStep(capture: LeadCapture, ctx: StepContext): DraftLead {
  return normaliseCapture(capture, { receivedAt: ctx.now, defaultCountry: ctx.policy.defaultCountry })
}
