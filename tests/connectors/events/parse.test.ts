import { describe, expect, it } from 'vitest'
import {
  attendanceInteraction,
  deliveryKeys,
  eventAttribution,
  registrationActivity,
  registrationCapture,
  repoint,
} from '../../../connectors/events/parse.js'
import type { EventAttendance, EventRegistration } from '../../../connectors/events/schemas.js'

const registration = (extra: Partial<EventRegistration> = {}): EventRegistration => ({
  eventId: 'wb-2026-11',
  eventName: 'Pipeline Hygiene Webinar',
  provider: 'zoom',
  occurredAt: '2026-11-20T09:00:00.000Z',
  registrant: {
    id: 'reg-1',
    email: 'Priya.Nair@Example.in',
    firstName: 'Priya',
    lastName: 'Nair',
    company: 'Nair Textiles',
  },
  ...extra,
})

describe('event registrations', () => {
  it('become event captures attributed to the provider and the event', () => {
    const capture = registrationCapture(registration(), '2026-11-20T09:00:01.000Z')
    expect(capture).toMatchObject({
      channel: 'event',
      receivedAt: '2026-11-20T09:00:01.000Z',
      externalId: 'reg-1',
      email: 'Priya.Nair@Example.in',
      firstName: 'Priya',
      lastName: 'Nair',
      company: 'Nair Textiles',
      attribution: { source: 'zoom', medium: 'event', campaign: 'Pipeline Hygiene Webinar' },
    })
    expect(capture.consent).toBeUndefined()
  })

  it('attribute to the named campaign, then the UTM tags, then the event', () => {
    expect(eventAttribution(registration({ campaign: 'Q4 webinars' })).campaign).toBe('Q4 webinars')
    expect(
      eventAttribution(
        registration({
          provider: undefined,
          utm: { source: 'linkedin', medium: 'paid_social', campaign: 'li-q4', content: 'ad-7' },
        }),
      ),
    ).toEqual({
      source: 'linkedin',
      medium: 'paid_social',
      campaign: 'li-q4',
      term: undefined,
      content: 'ad-7',
    })
    expect(eventAttribution(registration({ provider: undefined }))).toMatchObject({
      source: 'event',
      medium: 'event',
    })
  })

  it('carry consent evidence with when and where it was given', () => {
    const capture = registrationCapture(
      registration({
        registrant: {
          email: 'a@example.in',
          firstName: 'A',
          lastName: 'B',
          consent: { granted: true, text: 'Send me news', textVersion: 'v3' },
        },
      }),
      'now',
    )
    expect(capture.consent).toEqual({
      granted: true,
      at: '2026-11-20T09:00:00.000Z',
      source: 'event:zoom:wb-2026-11',
      text: 'Send me news',
      textVersion: 'v3',
    })
  })

  it('are keyed by event and registrant id, else the case-folded email', () => {
    expect(deliveryKeys.registration(registration())).toBe('reg:wb-2026-11:reg-1')
    const noId = registration({
      registrant: { email: ' Priya.Nair@Example.in', firstName: 'P', lastName: 'N' },
    })
    expect(deliveryKeys.registration(noId)).toBe('reg:wb-2026-11:priya.nair@example.in')
  })

  it('go on the timeline as a registration', () => {
    expect(registrationActivity(registration())).toMatchObject({
      kind: 'event_registered',
      subject: 'Registered for Pipeline Hygiene Webinar',
      details: { eventId: 'wb-2026-11' },
      occurredAt: new Date('2026-11-20T09:00:00.000Z'),
    })
  })
})

describe('event attendance', () => {
  const attendance: EventAttendance = {
    eventId: 'wb-2026-11',
    eventName: 'Pipeline Hygiene Webinar',
    occurredAt: '2026-11-24T12:00:00.000Z',
    attendee: {
      email: 'priya.nair@example.in',
      firstName: 'Priya',
      lastName: 'Nair',
      phone: '+919876512345',
    },
    attendance: {
      joinedAt: '2026-11-24T10:02:00.000Z',
      leftAt: '2026-11-24T10:50:00.000Z',
      durationMinutes: 48,
    },
  }

  it('is an interaction on the person, timed when they joined', () => {
    const i = attendanceInteraction(attendance, 'now')
    expect(i.person).toEqual({ email: 'priya.nair@example.in', phone: '+919876512345', country: undefined })
    expect(i.activity).toMatchObject({
      kind: 'event_attended',
      direction: 'inbound',
      subject: 'Attended Pipeline Hygiene Webinar',
      details: { eventId: 'wb-2026-11', durationMinutes: 48, joinedAt: '2026-11-24T10:02:00.000Z' },
      occurredAt: new Date('2026-11-24T10:02:00.000Z'),
    })
    expect(i.ifUnknown).toMatchObject({
      channel: 'event',
      email: 'priya.nair@example.in',
      attribution: { source: 'event' },
    })
    expect(deliveryKeys.attendance(attendance)).toBe('att:wb-2026-11:priya.nair@example.in')
  })

  it('without attendance details is timed by the delivery', () => {
    const i = attendanceInteraction({ ...attendance, attendance: undefined }, 'now')
    expect(i.activity.occurredAt).toEqual(new Date('2026-11-24T12:00:00.000Z'))
    expect(i.activity.details).toMatchObject({ durationMinutes: null })
  })
})

describe('repoint', () => {
  it.each([
    ['/body/email', '/body/items/2/registrant', '/body/items/2/registrant/email'],
    ['/body/consent/text', '/body/attendee', '/body/attendee/consent/text'],
    ['/body/channel', '/body/attendee', '/body/channel'],
    ['/headers/x', '/body/attendee', '/headers/x'],
  ])('%s under %s is %s', (pointer, base, expected) => {
    expect(repoint(pointer, base)).toBe(expected)
  })
})
