import { Type, type Static } from 'typebox'
import { MANUAL_TASK_KINDS, TASK_PRIORITIES } from '../../crm/task-commands.js'
import { TASK_OUTCOMES } from '../../crm/tasks.js'
import { IsoTime, NO_NUL, Text } from './primitives.js'

const NullableString = Type.Union([Type.String(), Type.Null()])
const NullableTime = Type.Union([Type.String({ format: 'date-time' }), Type.Null()])

export const Task = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    kind: Type.String({
      description:
        'Journey tasks: first_contact, follow_up, escalation; added by hand: call, email, meeting, follow_up, todo.',
    }),
    title: Type.String(),
    description: NullableString,
    status: Type.Enum(['open', 'done']),
    priority: Type.String({ description: 'low, normal or high.' }),
    leadId: NullableString,
    leadName: Type.Optional(
      Type.Union([Type.String(), Type.Null()], {
        description:
          'The lead’s first and last name, in the inbox and a task’s read (null when it has none).',
      }),
    ),
    accountId: NullableString,
    contactId: NullableString,
    opportunityId: NullableString,
    ticketId: NullableString,
    invoiceId: NullableString,
    contractId: NullableString,
    assigneeId: NullableString,
    queue: NullableString,
    dueAt: Type.String({ format: 'date-time' }),
    overdue: Type.Boolean({ description: 'Open and past its due time.' }),
    snoozedUntil: NullableTime,
    snoozed: Type.Boolean({
      description: 'Open and snoozed until a time still to come: hidden from the inbox.',
    }),
    escalatedAt: NullableTime,
    escalatedToId: NullableString,
    parentTaskId: NullableString,
    workflowId: NullableString,
    completedAt: NullableTime,
    completedBy: NullableString,
    outcome: NullableString,
    note: NullableString,
    createdAt: Type.String({ format: 'date-time' }),
    createdBy: Type.String(),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { title: 'Task' },
)

export const TaskParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

export const ListTasksQuery = Type.Object(
  {
    assigneeId: Type.Optional(
      Text(200, { description: '`me` for the calling user (X-Leadwire-User), or a user id.' }),
    ),
    queue: Type.Optional(Text(200, { description: 'Tasks waiting in this queue (no assignee yet).' })),
    status: Type.Optional(Type.Enum(['open', 'done'])),
    due: Type.Optional(
      Type.Enum(['overdue', 'today', 'upcoming'], {
        description:
          'overdue: open and past its due time. today: due on today’s date in `tz` (may include overdue ones). ' +
          'upcoming: due after today in `tz`.',
      }),
    ),
    tz: Type.Optional(
      Text(64, {
        description:
          'IANA time zone that decides what "today" is; default the JOURNEY_DEFAULT_TIME_ZONE setting.',
      }),
    ),
    kind: Type.Optional(Text(40)),
    priority: Type.Optional(Type.Enum([...TASK_PRIORITIES])),
    leadId: Type.Optional(Type.String({ format: 'uuid' })),
    accountId: Type.Optional(Type.String({ format: 'uuid' })),
    opportunityId: Type.Optional(Type.String({ format: 'uuid' })),
    includeSnoozed: Type.Boolean({
      default: false,
      description: 'Also list open tasks snoozed until a time still to come (hidden by default).',
    }),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page.' })),
  },
  { additionalProperties: false },
)
export type ListTasksQuery = Static<typeof ListTasksQuery>

export const TaskPage = Type.Object(
  { items: Type.Array(Task), nextCursor: NullableString },
  { title: 'TaskPage' },
)

export const CompleteTaskBody = Type.Object(
  {
    outcome: Type.Enum([...TASK_OUTCOMES], {
      description:
        'contacted and meeting_booked mark the lead contacted; the journey hears of every outcome.',
    }),
    note: Type.Optional(Type.String({ maxLength: 2000, pattern: NO_NUL })),
  },
  { additionalProperties: false, title: 'CompleteTask' },
)

export const CreateTaskBody = Type.Object(
  {
    title: Text(200),
    kind: Type.Enum([...MANUAL_TASK_KINDS]),
    dueAt: IsoTime,
    priority: Type.Optional(Type.Enum([...TASK_PRIORITIES], { default: 'normal' })),
    description: Type.Optional(Text(4000)),
    assigneeId: Type.Optional(
      Text(200, { description: 'An existing user; default the caller (X-Leadwire-User). Not with `queue`.' }),
    ),
    queue: Type.Optional(
      Text(200, { description: 'A queue for the task to wait in instead of an assignee.' }),
    ),
    leadId: Type.Optional(Type.String({ format: 'uuid' })),
    accountId: Type.Optional(Type.String({ format: 'uuid' })),
    contactId: Type.Optional(Type.String({ format: 'uuid' })),
    opportunityId: Type.Optional(Type.String({ format: 'uuid' })),
  },
  { additionalProperties: false, title: 'CreateTask' },
)

export const SnoozeTaskBody = Type.Object(
  {
    until: Type.String({ format: 'date-time', description: 'A future time; the task is hidden until then.' }),
    reason: Type.Optional(Text(500)),
  },
  { additionalProperties: false, title: 'SnoozeTask' },
)

export const ReassignTaskBody = Type.Object(
  {
    assigneeId: Text(200, { description: 'An existing user.' }),
    reason: Type.Optional(Text(500)),
  },
  { additionalProperties: false, title: 'ReassignTask' },
)
