import { Type, type Static } from 'typebox'
import { LEAD_CHANNELS } from '../../domain/lead/lead-capture.js'

// PostgreSQL text cannot hold U+0000: refuse it at the edge (422) rather than fail the insert (500).
const NO_NUL = '^[^\\u0000]*$'
const Name = Type.String({ minLength: 1, maxLength: 200, pattern: NO_NUL })

export const CaptureLeadBody = Type.Object(
  {
    channel: Type.Optional(
      Type.Enum([...LEAD_CHANNELS], { default: 'api', description: 'Where the lead came from.' }),
    ),
    firstName: Type.Optional(Name),
    lastName: Type.Optional(Name),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 320, pattern: NO_NUL })),
    phone: Type.Optional(Type.String({ minLength: 3, maxLength: 40, pattern: NO_NUL })),
    company: Type.Optional(Type.String({ minLength: 1, maxLength: 300, pattern: NO_NUL })),
  },
  { additionalProperties: false, title: 'CaptureLead', $id: 'CaptureLead' },
)
export type CaptureLeadBody = Static<typeof CaptureLeadBody>

export const JourneyStatus = Type.Object(
  {
    workflowId: Type.String(),
    status: Type.Enum(
      [
        'PENDING',
        'RUNNING',
        'COMPLETED',
        'FAILED',
        'CANCELLED',
        'TERMINATED',
        'CONTINUED_AS_NEW',
        'TIMED_OUT',
        'UNKNOWN',
      ],
      {
        description:
          'PENDING: saved, waiting for the outbox relay. UNKNOWN: Temporal could not be asked just now.',
      },
    ),
    stage: Type.Optional(Type.String()),
    startedAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { title: 'JourneyStatus' },
)
export type JourneyStatus = Static<typeof JourneyStatus>

export const CapturedLead = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    status: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    journey: JourneyStatus,
  },
  { title: 'CapturedLead' },
)

export const Lead = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    status: Type.String(),
    channel: Type.String(),
    firstName: Type.Union([Type.String(), Type.Null()]),
    lastName: Type.Union([Type.String(), Type.Null()]),
    email: Type.Union([Type.String(), Type.Null()]),
    phone: Type.Union([Type.String(), Type.Null()]),
    company: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    createdBy: Type.String(),
    updatedBy: Type.String(),
    journey: JourneyStatus,
  },
  { title: 'Lead' },
)

export const LeadParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
