import { Type, type Static, type TSchema } from 'typebox'

/*
 * The event webhook contract: our own format, which a platform's webhook (or a small
 * relay in front of it) sends as JSON signed with EVENTS_WEBHOOK_SECRET. Unknown fields
 * are refused like everywhere in the API, so a typo is a 422, not a silently lost value.
 */

const Name = Type.String({ minLength: 1, maxLength: 100 })
const Short = Type.String({ minLength: 1, maxLength: 200 })
const Instant = Type.String({ format: 'date-time', description: 'ISO 8601 with a time zone.' })

export const EventConsent = Type.Object(
  {
    granted: Type.Boolean({
      description: 'Opted in to marketing on the registration form (false: declined).',
    }),
    text: Type.Optional(Type.String({ maxLength: 5000, description: 'The wording shown.' })),
    textVersion: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
)

export const EventPerson = Type.Object(
  {
    id: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: "The platform's registrant id." }),
    ),
    email: Type.String({ format: 'email', maxLength: 320 }),
    firstName: Name,
    lastName: Name,
    phone: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    company: Type.Optional(Short),
    title: Type.Optional(Short),
    country: Type.Optional(
      Type.String({ minLength: 2, maxLength: 100, description: 'ISO 3166-1 alpha-2 or a name.' }),
    ),
    consent: Type.Optional(EventConsent),
  },
  { additionalProperties: false },
)

export const EventUtm = Type.Object(
  {
    source: Type.Optional(Short),
    medium: Type.Optional(Short),
    campaign: Type.Optional(Short),
    term: Type.Optional(Short),
    content: Type.Optional(Short),
  },
  { additionalProperties: false, description: 'UTM tags of the registration page the person came through.' },
)

const eventFields = {
  eventId: Type.String({ minLength: 1, maxLength: 200, description: "The platform's event (webinar) id." }),
  eventName: Type.String({ minLength: 1, maxLength: 300 }),
  provider: Type.Optional(
    Type.String({
      pattern: '^[a-z0-9][a-z0-9_-]*$',
      maxLength: 50,
      description:
        'zoom, webex, hubspot, custom...: the source of the lead when no UTM source says otherwise.',
    }),
  ),
  campaign: Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, description: 'Default: the event name.' }),
  ),
  occurredAt: Instant,
  utm: Type.Optional(EventUtm),
}

export const EventRegistration = Type.Object(
  { ...eventFields, registrant: EventPerson },
  { additionalProperties: false, title: 'EventRegistration' },
)
export type EventRegistration = Static<typeof EventRegistration>

export const EventAttendanceDetails = Type.Object(
  {
    joinedAt: Type.Optional(Instant),
    leftAt: Type.Optional(Instant),
    durationMinutes: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })),
  },
  { additionalProperties: false },
)

export const EventAttendance = Type.Object(
  { ...eventFields, attendee: EventPerson, attendance: Type.Optional(EventAttendanceDetails) },
  { additionalProperties: false, title: 'EventAttendance' },
)
export type EventAttendance = Static<typeof EventAttendance>

/** Up to this many items per batch: each is its own delivery, so a batch is no faster than it is safe. */
export const MAX_BATCH = 100

const batchOf = (title: string) =>
  Type.Object(
    {
      items: Type.Array(Type.Unknown(), {
        minItems: 1,
        maxItems: MAX_BATCH,
        description: 'Each item is checked and captured on its own: one bad item does not refuse the others.',
      }),
    },
    { additionalProperties: false, title },
  )

/**
 * One item, or `{ items: [...] }`. if/then/else rather than anyOf: a bad single item is
 * reported against the item's schema alone, not against both shapes.
 */
const oneOrBatch = <T extends TSchema>(item: T, batchTitle: string) =>
  Type.Unsafe<Static<T> | { items: unknown[] }>({
    if: { type: 'object', required: ['items'] },
    then: batchOf(batchTitle),
    else: item,
  })

export const RegistrationBody = oneOrBatch(EventRegistration, 'EventRegistrationBatch')
export const AttendanceBody = oneOrBatch(EventAttendance, 'EventAttendanceBatch')

export const EventSignatureHeaders = Type.Object({
  'x-leadwire-signature': Type.Optional(
    Type.String({ description: '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.' }),
  ),
})

const FieldError = Type.Object({ pointer: Type.String(), message: Type.String() })

export const ItemOutcome = Type.Object(
  {
    index: Type.Optional(Type.Integer({ description: "The item's position in a batch." })),
    ok: Type.Boolean(),
    leadId: Type.Optional(Type.String({ format: 'uuid' })),
    outcome: Type.Optional(
      Type.Union(
        [
          Type.Literal('created'),
          Type.Literal('duplicate'),
          Type.Literal('quarantined'),
          Type.Literal('engaged'),
        ],
        {
          description:
            'created: a new lead; duplicate: a known person (linked to their lead); engaged: attendance on a known lead.',
        },
      ),
    ),
    replayed: Type.Optional(
      Type.Boolean({ description: 'This delivery was received before: the first answer.' }),
    ),
    status: Type.Optional(
      Type.Integer({ description: 'A refused item: the status a single request would have had.' }),
    ),
    code: Type.Optional(Type.String()),
    detail: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(FieldError)),
  },
  { title: 'EventItemOutcome' },
)
export type ItemOutcome = Static<typeof ItemOutcome>

export const BatchOutcome = Type.Object(
  {
    accepted: Type.Integer(),
    refused: Type.Integer(),
    results: Type.Array(ItemOutcome),
  },
  { title: 'EventBatchOutcome' },
)
export type BatchOutcome = Static<typeof BatchOutcome>
