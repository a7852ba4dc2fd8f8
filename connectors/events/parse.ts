import type { LeadCapture } from '../../domain/lead/lead-capture.js'
import type { ActivityNote, PersonRef } from '../sdk/intake.js'
import type { EventAttendance, EventRegistration } from './schemas.js'

/*
 * Event platform payloads (schemas.ts) turned into intake inputs. Pure: no I/O, no clock
 * (the receive time is passed in). Fields are kept as sent; the pipeline normalises them.
 */

type EventItem = EventRegistration | EventAttendance
type Person = EventRegistration['registrant']

/** A person's key within an event: the platform's registrant id, else the email (case-folded). */
const personKey = (p: Person) => p.id ?? p.email.trim().toLowerCase()

/** One registration, one attendance per person and event, however often the platform sends them. */
export const deliveryKeys = {
  registration: (r: EventRegistration) => `reg:${r.eventId}:${personKey(r.registrant)}`,
  attendance: (a: EventAttendance) => `att:${a.eventId}:${personKey(a.attendee)}`,
}

/**
 * Where the lead came from. The registration page's UTM tags say how the person found the
 * event (a LinkedIn ad, a newsletter), so they win over the platform as source; the
 * campaign is the one the sender names, else the page's, else the event itself.
 */
export function eventAttribution(item: EventItem): NonNullable<LeadCapture['attribution']> {
  return {
    source: item.utm?.source ?? item.provider ?? 'event',
    medium: item.utm?.medium ?? 'event',
    campaign: item.campaign ?? item.utm?.campaign ?? item.eventName,
    term: item.utm?.term,
    content: item.utm?.content,
  }
}

function personCapture(item: EventItem, person: Person, receivedAt: string): LeadCapture {
  const source = `event:${item.provider ?? 'event'}:${item.eventId}`
  return {
    channel: 'event',
    receivedAt,
    externalId: person.id,
    email: person.email,
    firstName: person.firstName,
    lastName: person.lastName,
    phone: person.phone,
    company: person.company,
    title: person.title,
    country: person.country,
    consent: person.consent
      ? {
          granted: person.consent.granted,
          at: item.occurredAt,
          source,
          text: person.consent.text,
          textVersion: person.consent.textVersion,
        }
      : undefined,
    attribution: eventAttribution(item),
  }
}

export function registrationCapture(r: EventRegistration, receivedAt: string): LeadCapture {
  return personCapture(r, r.registrant, receivedAt)
}

/** The registration on the person's timeline (on their master lead when they were known). */
export function registrationActivity(r: EventRegistration): ActivityNote {
  return {
    kind: 'event_registered',
    direction: 'inbound',
    subject: `Registered for ${r.eventName}`,
    details: { eventId: r.eventId, eventName: r.eventName, provider: r.provider ?? null },
    occurredAt: new Date(r.occurredAt),
  }
}

export interface AttendanceInteraction {
  person: PersonRef
  activity: ActivityNote
  /** An attendee nobody registered (a walk-in, a registration sent elsewhere): a new lead. */
  ifUnknown: LeadCapture
}

export function attendanceInteraction(a: EventAttendance, receivedAt: string): AttendanceInteraction {
  const { joinedAt, leftAt, durationMinutes } = a.attendance ?? {}
  return {
    person: { email: a.attendee.email, phone: a.attendee.phone, country: a.attendee.country },
    activity: {
      kind: 'event_attended',
      direction: 'inbound',
      subject: `Attended ${a.eventName}`,
      details: {
        eventId: a.eventId,
        eventName: a.eventName,
        provider: a.provider ?? null,
        durationMinutes: durationMinutes ?? null,
        ...(joinedAt ? { joinedAt } : {}),
        ...(leftAt ? { leftAt } : {}),
      },
      occurredAt: new Date(joinedAt ?? a.occurredAt),
    },
    ifUnknown: personCapture(a, a.attendee, receivedAt),
  }
}

const PERSON_FIELDS = new Set([
  'email',
  'firstName',
  'lastName',
  'phone',
  'company',
  'title',
  'country',
  'consent',
])

/**
 * The pipeline reports a refused field against the capture (`/body/email`); the sender
 * wrote it inside the registrant or attendee, maybe inside a batch item. This points there.
 */
export function repoint(pointer: string, personPath: string): string {
  const m = /^\/body\/([^/]+)(.*)$/.exec(pointer)
  return m && PERSON_FIELDS.has(m[1]!) ? `${personPath}/${m[1]}${m[2]}` : pointer
}
