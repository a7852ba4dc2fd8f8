import { Type, type Static } from 'typebox'
import { NO_NUL, Text, Nullable, IsoTime } from './primitives.js'
import { CONTACT_CHANNELS, LEAD_CHANNELS } from '../../domain/lead/lead-capture.js'
import { ENGAGEMENT_EVENTS } from '../../domain/scoring/scoring-rules.js'

export const ConsentEvidence = Type.Object(
  {
    granted: Type.Boolean({ description: 'True when the person opted in, false when they declined.' }),
    at: Type.Optional(IsoTime),
    source: Type.Optional(Text(200)),
    textVersion: Type.Optional(Text(100, { description: 'Version id of the consent wording shown.' })),
    text: Type.Optional(Text(5000, { description: 'The consent wording itself.' })),
    channels: Type.Optional(Type.Array(Type.Enum([...CONTACT_CHANNELS]), { uniqueItems: true })),
  },
  { additionalProperties: false, title: 'ConsentEvidence' },
)

export const AttributionInput = Type.Object(
  {
    source: Type.Optional(Text(200)),
    medium: Type.Optional(Text(200)),
    campaign: Type.Optional(Text(200)),
    term: Type.Optional(Text(200)),
    content: Type.Optional(Text(200)),
    referrer: Type.Optional(Text(2000)),
    landingPage: Type.Optional(
      Text(2000, { description: 'Its utm_* parameters are read when the fields above are absent.' }),
    ),
  },
  { additionalProperties: false, title: 'Attribution' },
)

const IdentityFields = {
  firstName: Type.Optional(Text(200)),
  lastName: Type.Optional(Text(200)),
  email: Type.Optional(Text(320, { description: 'Validated and lower-cased by ingestion.' })),
  phone: Type.Optional(
    Text(40, { description: 'Any common format; stored as E.164 (default country INGEST_DEFAULT_COUNTRY).' }),
  ),
  company: Type.Optional(Text(300)),
  title: Type.Optional(Text(200)),
  website: Type.Optional(Text(500)),
  industry: Type.Optional(Text(200)),
  companySize: Type.Optional(
    Type.Union([Text(50), Type.Integer({ minimum: 0 })], { description: 'Employees: a number or a range.' }),
  ),
  annualRevenue: Type.Optional(Type.Number({ minimum: 0 })),
  currency: Type.Optional(Type.String({ pattern: '^[A-Za-z]{3}$' })),
  country: Type.Optional(Text(100, { description: 'ISO 3166-1 alpha-2 code or English name.' })),
  state: Type.Optional(Text(100)),
  city: Type.Optional(Text(100)),
  budget: Type.Optional(Text(500)),
  authority: Type.Optional(Text(500)),
  need: Type.Optional(Text(2000)),
  timeline: Type.Optional(Text(500)),
}

export const CaptureLeadBody = Type.Object(
  {
    channel: Type.Optional(
      Type.Enum([...LEAD_CHANNELS], { default: 'api', description: 'Where the lead came from.' }),
    ),
    receivedAt: Type.Optional(IsoTime),
    externalId: Type.Optional(
      Text(300, { description: "The channel's own id for this person or delivery." }),
    ),
    ...IdentityFields,
    consent: Type.Optional(ConsentEvidence),
    attribution: Type.Optional(AttributionInput),
  },
  { additionalProperties: false, title: 'CaptureLead' },
)
export type CaptureLeadBody = Static<typeof CaptureLeadBody>

export const CaptureHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      pattern: '^[\\x21-\\x7E]+$',
      description: 'Retries with the same key and body get the first answer; no second lead is written.',
    }),
  ),
})

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
        'NONE',
      ],
      {
        description:
          'PENDING: saved, waiting for the outbox relay. UNKNOWN: Temporal could not be asked just now. ' +
          'NONE: the lead has no journey of its own (a duplicate, or quarantined).',
      },
    ),
    stage: Type.Optional(Type.String()),
    startedAt: Type.Optional(IsoTime),
  },
  { title: 'JourneyStatus' },
)
export type JourneyStatus = Static<typeof JourneyStatus>

export const CapturedLead = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    status: Type.String(),
    outcome: Type.Enum(['created', 'duplicate', 'quarantined'], {
      description:
        'created: a new master lead. duplicate: a known person (linked to duplicateOf). quarantined: likely spam.',
    }),
    duplicateOf: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    score: Type.Union(
      [
        Type.Integer({
          minimum: 0,
          maximum: 100,
        }),
        Type.Null(),
      ],
      {
        description:
          "The master lead's score after this capture; null (with duplicateOf and ownerId) when the master is a lead " +
          'the caller may not see.',
      },
    ),
    ownerId: Type.Union([Type.String(), Type.Null()]),
    queue: Type.Union([Type.String(), Type.Null()]),
    createdAt: IsoTime,
    replayed: Type.Boolean({
      description: 'True when this is the stored answer to an earlier request with the same Idempotency-Key.',
    }),
    journey: JourneyStatus,
  },
  { title: 'CapturedLead' },
)

const ScoreLine = Type.Object({
  ruleId: Type.String(),
  label: Type.String(),
  points: Type.Number(),
  detail: Type.String(),
})
const Touch = Type.Object({
  channel: Type.String(),
  source: Type.String(),
  medium: Type.String(),
  campaign: Nullable(Type.String()),
  term: Nullable(Type.String()),
  content: Nullable(Type.String()),
  referrer: Nullable(Type.String()),
  landingPage: Nullable(Type.String()),
  occurredAt: IsoTime,
})
const Str = Nullable(Type.String())

export const LeadSummary = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    status: Type.String(),
    channel: Type.String(),
    firstName: Str,
    lastName: Str,
    email: Str,
    phone: Str,
    company: Str,
    title: Str,
    companyDomain: Str,
    country: Str,
    score: Type.Integer(),
    ownerId: Str,
    queue: Str,
    isDuplicate: Type.Boolean(),
    duplicateOfId: Str,
    validationStatus: Type.String(),
    createdAt: IsoTime,
    updatedAt: IsoTime,
  },
  { title: 'LeadSummary' },
)

export const Lead = Type.Object(
  {
    ...LeadSummary.properties,
    emailDomain: Str,
    phoneCountry: Str,
    website: Str,
    industry: Str,
    companySize: Str,
    annualRevenue: Type.Union([Type.Number(), Type.Null()]),
    currency: Str,
    state: Str,
    city: Str,
    territoryId: Str,
    budget: Str,
    authority: Str,
    need: Str,
    timeline: Str,
    externalIds: Type.Record(Type.String(), Type.String()),
    consent: Type.Object({
      status: Type.String(),
      channels: Type.Array(Type.String()),
      at: Nullable(IsoTime),
      source: Str,
      textVersion: Str,
      dnd: Type.Boolean(),
      optInAt: Nullable(IsoTime),
      optOutAt: Nullable(IsoTime),
      optOutReason: Str,
    }),
    scoring: Type.Object({
      score: Type.Integer(),
      ruleVersion: Type.Union([Type.Integer(), Type.Null()]),
      explanation: Str,
      breakdown: Type.Array(ScoreLine),
      engagement: Type.Record(Type.String(), Type.Number()),
    }),
    spam: Type.Object({
      score: Type.Integer(),
      signals: Type.Array(Type.Object({ code: Type.String(), weight: Type.Number(), detail: Type.String() })),
    }),
    validationIssues: Type.Array(
      Type.Object({
        field: Type.String(),
        code: Type.String(),
        message: Type.String(),
        severity: Type.String(),
      }),
    ),
    assignment: Type.Object({ ownerId: Str, queue: Str, assignedAt: Nullable(IsoTime), reason: Str }),
    attribution: Type.Object({
      firstTouch: Type.Union([Touch, Type.Null()]),
      lastTouch: Type.Union([Touch, Type.Null()]),
      touches: Type.Integer(),
    }),
    duplicates: Type.Array(
      Type.Object({
        id: Type.String({ format: 'uuid' }),
        channel: Type.String(),
        createdAt: IsoTime,
        reason: Type.Unknown(),
      }),
    ),
    possibleDuplicates: Type.Array(
      Type.Object({
        id: Type.String({ format: 'uuid' }),
        similarity: Type.Number({ minimum: 0, maximum: 1 }),
      }),
      {
        description: 'Name + company look-alikes found at capture but not linked: merge them or leave them.',
      },
    ),
    duplicateReason: Type.Unknown(),
    createdBy: Type.String(),
    updatedBy: Type.String(),
    journey: JourneyStatus,
  },
  { title: 'Lead' },
)

export const LeadParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

export const LEAD_SORTS = ['-createdAt', 'createdAt', '-score', 'score'] as const
export const ListLeadsQuery = Type.Object(
  {
    status: Type.Optional(
      Type.Enum(['NEW', 'NURTURING', 'CONTACTED', 'QUALIFIED', 'CONVERTED', 'DISQUALIFIED', 'RECYCLED'], {
        description: 'Follows the journey: NURTURING while its sequence runs, QUALIFIED in Qualification.',
      }),
    ),
    channel: Type.Optional(Type.Enum([...LEAD_CHANNELS])),
    ownerId: Type.Optional(Text(100)),
    queue: Type.Optional(Text(100)),
    country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
    isDuplicate: Type.Optional(Type.Boolean()),
    validationStatus: Type.Optional(Type.Enum(['valid', 'warnings', 'quarantined'])),
    minScore: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    maxScore: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    createdFrom: Type.Optional(IsoTime),
    createdTo: Type.Optional(IsoTime),
    q: Type.Optional(
      Type.String({
        minLength: 2,
        maxLength: 100,
        pattern: NO_NUL,
        description: 'Case-insensitive search in name, email, phone and company.',
      }),
    ),
    sort: Type.Optional(Type.Enum([...LEAD_SORTS], { default: '-createdAt' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 500, description: 'nextCursor from the previous page.' })),
  },
  { additionalProperties: false },
)
export type ListLeadsQuery = Static<typeof ListLeadsQuery>

export const LeadPage = Type.Object(
  { items: Type.Array(LeadSummary), nextCursor: Type.Union([Type.String(), Type.Null()]) },
  { title: 'LeadPage' },
)

export const PatchLeadBody = Type.Object(
  {
    ...IdentityFields,
    ownerId: Type.Optional(
      Nullable(
        Text(100, {
          description:
            'Hand the lead to this user (null: back to the unassigned queue). Only to yourself or someone in your ' +
            'team unless your role sees every lead (403 otherwise); its open tasks go with it.',
        }),
      ),
    ),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    title: 'PatchLead',
    description:
      'Identity and qualification fields, and the owner. The status follows the journey: disqualify, recycle or ' +
      'convert it.',
  },
)
export type PatchLeadBody = Static<typeof PatchLeadBody>

export const DuplicateCheckBody = Type.Object(
  {
    firstName: IdentityFields.firstName,
    lastName: IdentityFields.lastName,
    email: IdentityFields.email,
    phone: IdentityFields.phone,
    company: IdentityFields.company,
    country: IdentityFields.country,
  },
  { additionalProperties: false, minProperties: 1, title: 'DuplicateCheck' },
)

export const DuplicateCheckResult = Type.Object(
  {
    matches: Type.Array(
      Type.Object({
        leadId: Type.String({ format: 'uuid' }),
        kind: Type.Enum(['email', 'phone', 'fuzzy']),
        key: Type.String(),
        similarity: Type.Number(),
      }),
    ),
  },
  { title: 'DuplicateCheckResult' },
)

export const MergeBody = Type.Object(
  {
    duplicateId: Type.String({
      format: 'uuid',
      description: 'The lead to fold into the master in the path.',
    }),
  },
  { additionalProperties: false, title: 'MergeLeads' },
)

export const MergeResult = Type.Object(
  {
    masterId: Type.String({ format: 'uuid' }),
    duplicateId: Type.String({ format: 'uuid' }),
    filled: Type.Array(Type.String(), {
      description: 'Master fields that were empty and were filled from the duplicate.',
    }),
    score: Type.Integer(),
  },
  { title: 'MergeResult' },
)

export const EngagementBody = Type.Object(
  {
    event: Type.Enum([...ENGAGEMENT_EVENTS], { description: 'What the person did.' }),
    occurredAt: Type.Optional(
      Type.String({ format: 'date-time', description: 'When it happened; now when absent.' }),
    ),
    eventId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description:
          "The channel's id for this event (e.g. SendGrid sg_event_id): a redelivery is counted once.",
      }),
    ),
  },
  { additionalProperties: false, title: 'Engagement' },
)

export const EngagementResult = Type.Object(
  {
    leadId: Type.String({
      format: 'uuid',
      description: 'The lead whose score changed (the master, for a duplicate).',
    }),
    score: Type.Integer({ minimum: 0, maximum: 100 }),
    explanation: Type.String(),
    engagement: Type.Record(Type.String(), Type.Number()),
    activityId: Type.String({ format: 'uuid', description: 'The timeline entry recording the event.' }),
    duplicate: Type.Boolean({
      description: 'True when this eventId was recorded before: nothing was counted again.',
    }),
  },
  { title: 'EngagementResult' },
)
