import { Type, type Static } from 'typebox'
import {
  ACTIVITY_DIRECTIONS,
  ACTIVITY_KINDS,
  CALL_OUTCOMES,
  MAX_DURATION_SECONDS,
  STATS_PERIODS,
} from '../../domain/activity/activity.rules.js'
import { Text } from './primitives.js'

const Id = Type.String({ format: 'uuid' })
const NullableId = Type.Union([Id, Type.Null()])
const NullableString = Type.Union([Type.String(), Type.Null()])
const Cursor = Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page.' }))
const Limit = Type.Integer({ minimum: 1, maximum: 200, default: 50 })

export const Activity = Type.Object(
  {
    id: Id,
    kind: Type.String({
      description:
        'Logged: call, email, meeting, note, whatsapp. Recorded by the system: stage_change, conversion, ' +
        'lifecycle_change, task_completed, engagement events, …',
    }),
    direction: Type.Enum([...ACTIVITY_DIRECTIONS]),
    subject: NullableString,
    details: Type.Record(Type.String(), Type.Unknown(), {
      description:
        'Per kind: body, durationSeconds and outcome for logged ones; from/to/reason for a stage change.',
    }),
    leadId: NullableId,
    accountId: NullableId,
    contactId: NullableId,
    opportunityId: NullableId,
    taskId: NullableId,
    occurredAt: Type.String({ format: 'date-time' }),
    recordedAt: Type.String({ format: 'date-time' }),
    actorId: Type.String({ description: 'Who did it: user:<id>, api:anonymous, system:<process>.' }),
  },
  { title: 'Activity' },
)

export const ActivityPage = Type.Object(
  { items: Type.Array(Activity), nextCursor: NullableString },
  { title: 'ActivityPage' },
)

export const LogActivityHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      pattern: '^[\\x21-\\x7E]+$',
      description: 'A retry with the same key records no second entry and answers the first one (200).',
    }),
  ),
})

export const LogActivityBody = Type.Object(
  {
    kind: Type.Enum([...ACTIVITY_KINDS]),
    direction: Type.Optional(
      Type.Enum([...ACTIVITY_DIRECTIONS], { description: 'Default: outbound, internal for a note.' }),
    ),
    subject: Type.Optional(Text(300)),
    body: Type.Optional(Text(20_000, { description: 'The notes, the message, the minutes.' })),
    occurredAt: Type.Optional(
      Type.String({ format: 'date-time', description: 'Default now; at most 5 minutes in the future.' }),
    ),
    durationSeconds: Type.Optional(
      Type.Integer({ minimum: 0, maximum: MAX_DURATION_SECONDS, description: 'Calls and meetings.' }),
    ),
    outcome: Type.Optional(Type.Enum([...CALL_OUTCOMES], { description: 'Calls only.' })),
    leadId: Type.Optional(Id),
    accountId: Type.Optional(Id),
    contactId: Type.Optional(Id),
    opportunityId: Type.Optional(Id),
    taskId: Type.Optional(Id),
  },
  { additionalProperties: false, title: 'LogActivity' },
)
export type LogActivityBody = Static<typeof LogActivityBody>

export const TimelineParams = Type.Object({ id: Id })

export const TimelineQuery = Type.Object(
  {
    kind: Type.Optional(
      Type.Array(Text(100, { pattern: '^[a-z0-9_,]+$' }), {
        maxItems: 20,
        description: 'Only these kinds: repeat the parameter or separate with commas (kind=call,email).',
      }),
    ),
    limit: Limit,
    cursor: Cursor,
  },
  { additionalProperties: false },
)
export type TimelineQuery = Static<typeof TimelineQuery>

export const ActivityStatsQuery = Type.Object(
  {
    from: Type.Optional(
      Type.String({ format: 'date-time', description: 'Inclusive; default 30 days before `to`.' }),
    ),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive; default now.' })),
    period: Type.Enum([...STATS_PERIODS], {
      default: 'week',
      description: 'Bucket size; weeks start on Monday.',
    }),
    tz: Type.String({
      minLength: 1,
      maxLength: 64,
      default: 'Asia/Kolkata',
      description: 'IANA time zone the buckets are cut in.',
    }),
    ownerId: Type.Optional(Text(200, { description: 'Only this user (the actor user:<ownerId>).' })),
    kind: Type.Optional(Type.Enum([...ACTIVITY_KINDS])),
  },
  { additionalProperties: false },
)
export type ActivityStatsQuery = Static<typeof ActivityStatsQuery>

const Counts = Type.Record(Type.String(), Type.Integer())

export const ActivityStats = Type.Object(
  {
    from: Type.String({ format: 'date-time' }),
    to: Type.String({ format: 'date-time' }),
    period: Type.Enum([...STATS_PERIODS]),
    timeZone: Type.String(),
    total: Type.Integer(),
    owners: Type.Array(
      Type.Object({
        actorId: Type.String(),
        userId: NullableString,
        total: Type.Integer(),
        byKind: Counts,
      }),
      { description: 'Per owner (the actor credited), busiest first.' },
    ),
    buckets: Type.Array(
      Type.Object({
        periodStart: Type.String({
          format: 'date',
          description: 'First day of the period in the time zone.',
        }),
        actorId: Type.String(),
        userId: NullableString,
        kind: Type.String(),
        count: Type.Integer(),
      }),
      { description: 'Counts per period, owner and kind; periods without activity are left out.' },
    ),
  },
  { title: 'ActivityStats' },
)
