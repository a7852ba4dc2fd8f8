import { Type } from 'typebox'
import { TASK_OUTCOMES } from '../../crm/tasks.js'

const NullableString = Type.Union([Type.String(), Type.Null()])
const NullableTime = Type.Union([Type.String({ format: 'date-time' }), Type.Null()])

export const Task = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    kind: Type.String({ description: 'first_contact, follow_up or escalation.' }),
    title: Type.String(),
    status: Type.Enum(['open', 'done']),
    leadId: NullableString,
    assigneeId: NullableString,
    queue: NullableString,
    dueAt: Type.String({ format: 'date-time' }),
    overdue: Type.Boolean(),
    escalatedAt: NullableTime,
    escalatedToId: NullableString,
    parentTaskId: NullableString,
    workflowId: NullableString,
    completedAt: NullableTime,
    completedBy: NullableString,
    outcome: NullableString,
    note: NullableString,
    createdAt: Type.String({ format: 'date-time' }),
  },
  { title: 'Task' },
)

export const TaskParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

export const ListTasksQuery = Type.Object(
  {
    assigneeId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    leadId: Type.Optional(Type.String({ format: 'uuid' })),
    status: Type.Optional(Type.Enum(['open', 'done'])),
    overdue: Type.Optional(Type.Boolean({ description: 'Only open tasks past their due time.' })),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page.' })),
  },
  { additionalProperties: false },
)

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
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false, title: 'CompleteTask' },
)
