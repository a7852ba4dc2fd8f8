import type { LeadChannel } from '../lead/lead-capture.js'
import type { EngagementEvent } from './scoring-rules.js'

/**
 * A known person captured again is engagement on their master lead: filling in another
 * form counts as a web visit, a WhatsApp message as a reply, a call as a call, an event
 * registration as attendance. The merge policy sums these counters.
 */
export function engagementEventForCapture(channel: LeadChannel): EngagementEvent {
  switch (channel) {
    case 'whatsapp':
      return 'whatsappReply'
    case 'phone':
      return 'call'
    case 'event':
      return 'eventAttended'
    case 'email':
      return 'emailReply'
    default:
      return 'webVisit'
  }
}
