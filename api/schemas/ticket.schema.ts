import { Type } from 'typebox'
import { TICKET_CHANNELS, TICKET_PRIORITIES, TICKET_STATUSES } from '../../domain/support/sla-policy.js'
import { PageOf, PageQueryFields } from './page.schema.js'
import { IsoTime, Nullable, Text } from './primitives.js'

const Uuid = Type.String({ format: 'uuid' })
const UserId = Text(200)
const NullableTime = Type.Union([IsoTime, Type.Null()])

const SlaClock = Type.Object({
  dueAt: IsoTime,
  state: Type.Enum(['running', 'paused', 'met', 'missed', 'stopped'], {
    description:
      'paused: the ticket is pending (resolution clock only); met/missed: stopped in time or late.',
  }),
  breached: Type.Boolean({ description: 'A breach was recorded by the SLA watcher.' }),
  secondsLeft: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Seconds to the deadline while the clock runs or is paused (negative once overdue).',
  }),
})

export const Ticket = Type.Object(
  {
    id: Uuid,
    number: Type.String({ description: 'TKT/<financial year>/<counter>, gapless per year.' }),
    accountId: Uuid,
    contactId: Type.Union([Uuid, Type.Null()]),
    subject: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    priority: Type.Enum([...TICKET_PRIORITIES]),
    status: Type.Enum([...TICKET_STATUSES]),
    channel: Type.String(),
    assigneeId: Type.Union([Type.String(), Type.Null()]),
    firstResponseDueAt: IsoTime,
    resolutionDueAt: IsoTime,
    firstRespondedAt: NullableTime,
    resolvedAt: NullableTime,
    closedAt: NullableTime,
    pendingSince: NullableTime,
    pausedSeconds: Type.Integer(),
    firstResponseBreachedAt: NullableTime,
    resolutionBreachedAt: NullableTime,
    escalationLevel: Type.Integer({ description: '0 none, 1 the assignee’s manager, 2 the account owner.' }),
    escalatedAt: NullableTime,
    sla: Type.Object({ firstResponse: SlaClock, resolution: SlaClock }),
    createdAt: IsoTime,
    updatedAt: IsoTime,
  },
  { title: 'Ticket' },
)

export const TicketParams = Type.Object({ id: Uuid })

export const OpenTicketBody = Type.Object(
  {
    accountId: Uuid,
    contactId: Type.Optional(Uuid),
    subject: Text(300),
    description: Type.Optional(Text(20_000)),
    priority: Type.Enum([...TICKET_PRIORITIES], {
      description: 'Deadlines (calendar hours): P1 1 h / 4 h, P2 4 h / 24 h, P3 8 h / 72 h, P4 24 h / 120 h.',
    }),
    channel: Type.Enum([...TICKET_CHANNELS]),
    assigneeId: Type.Optional(UserId),
  },
  { additionalProperties: false, title: 'OpenTicket' },
)

export const RespondBody = Type.Object(
  { note: Type.Optional(Text(5000)) },
  { additionalProperties: false, title: 'RespondToTicket' },
)

export const TicketStatusBody = Type.Object(
  {
    status: Type.Enum(['open', 'pending', 'resolved', 'closed'], {
      description:
        'pending stops the resolution clock until the ticket is open again; resolved and closed stop the SLA; ' +
        'resolved → open reopens it (the time spent resolved does not count); closed is final.',
    }),
    note: Type.Optional(Text(5000)),
  },
  { additionalProperties: false, title: 'ChangeTicketStatus' },
)

export const UpdateTicketBody = Type.Object(
  {
    priority: Type.Optional(
      Type.Enum([...TICKET_PRIORITIES], { description: 'Deadlines are recomputed from creation.' }),
    ),
    assigneeId: Type.Optional(Nullable(UserId)),
  },
  { additionalProperties: false, minProperties: 1, title: 'UpdateTicket' },
)

export const ListTicketsQuery = Type.Object(
  {
    accountId: Type.Optional(Uuid),
    status: Type.Optional(Type.Enum([...TICKET_STATUSES])),
    priority: Type.Optional(Type.Enum([...TICKET_PRIORITIES])),
    assigneeId: Type.Optional(UserId),
    breached: Type.Optional(Type.Boolean({ description: 'true: only tickets with a recorded SLA breach.' })),
    ...PageQueryFields,
  },
  { additionalProperties: false },
)

export const TicketPage = PageOf(Ticket, 'TicketPage')
