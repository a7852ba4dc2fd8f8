import { Type, type Static, type TSchema } from 'typebox'
import { JOURNEY_STAGES } from '../../domain/journey/journey-stage.rules.js'
import { OPPORTUNITY_STAGES } from '../../domain/opportunity/pipeline.rules.js'
import { BANT_CRITERIA, MEDDICC_CRITERIA } from '../../domain/qualification/qualification.js'

/*
 * Journey, qualification and conversion payloads. Response schemas list every field we
 * send: the serializer drops anything undeclared.
 */

const IsoTime = Type.String({ format: 'date-time' })
const NullableTime = Type.Union([IsoTime, Type.Null()])

const Step = Type.Object({
  stepId: Type.String(),
  channel: Type.Enum(['email', 'whatsapp', 'sms']),
  template: Type.String(),
  dueAt: IsoTime,
  status: Type.String({ description: 'planned, sent, simulated, skipped, unconfirmed or cancelled.' }),
  note: Type.Optional(Type.String()),
})

const JourneyTask = Type.Object({
  taskId: Type.String({ format: 'uuid' }),
  kind: Type.String(),
  attempt: Type.Integer(),
  dueAt: IsoTime,
  status: Type.String(),
  assigneeId: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Optional(Type.String()),
})

const RiskReason = Type.Object({ code: Type.String(), message: Type.String(), weight: Type.String() })
const FrameworkSummary = Type.Object({
  score: Type.Integer(),
  confirmed: Type.Integer(),
  partial: Type.Integer(),
  negative: Type.Integer(),
  unknown: Type.Integer(),
  of: Type.Integer(),
  missing: Type.Array(Type.String()),
})
export const QualificationSummary = Type.Object(
  {
    bant: FrameworkSummary,
    meddicc: FrameworkSummary,
    risk: Type.Object({ level: Type.Enum(['Low', 'Medium', 'High']), reasons: Type.Array(RiskReason) }),
    qualified: Type.Boolean({ description: 'BANT at least 75 and no high-weight risk.' }),
  },
  { title: 'QualificationSummary' },
)

export const ConversionResult = Type.Object(
  {
    accountId: Type.String({ format: 'uuid' }),
    contactId: Type.String({ format: 'uuid' }),
    opportunityId: Type.String({ format: 'uuid' }),
    activityId: Type.String({ format: 'uuid' }),
    accountMatchedBy: Type.Enum(['domain', 'gstin', 'created']),
    convertedAt: IsoTime,
  },
  { title: 'ConversionResult' },
)

export const JourneyView = Type.Object(
  {
    workflowId: Type.String(),
    source: Type.Enum(['workflow', 'database'], {
      description:
        'workflow: asked the running journey; database: its last recorded stage (journey closed or unreachable).',
    }),
    leadId: Type.String({ format: 'uuid' }),
    stage: Type.Union([Type.Enum([...JOURNEY_STAGES]), Type.Null()]),
    stageSince: Type.Optional(IsoTime),
    stageReason: Type.Optional(Type.String()),
    version: Type.Optional(
      Type.String({ description: 'Workflow code version (the JourneyVersion search attribute).' }),
    ),
    score: Type.Integer(),
    ownerId: Type.Union([Type.String(), Type.Null()]),
    nextStep: Type.Union([
      Type.Object({ kind: Type.String(), label: Type.String(), dueAt: NullableTime }),
      Type.Null(),
    ]),
    cycle: Type.Optional(Type.Integer()),
    contactedAt: Type.Optional(NullableTime),
    channels: Type.Optional(
      Type.Object({ email: Type.Boolean(), whatsapp: Type.Boolean(), sms: Type.Optional(Type.Boolean()) }),
    ),
    sequence: Type.Optional(
      Type.Object({
        id: Type.String(),
        version: Type.Integer(),
        stoppedReason: Type.Union([Type.String(), Type.Null()]),
        steps: Type.Array(Step),
      }),
    ),
    tasks: Type.Optional(Type.Array(JourneyTask)),
    qualification: Type.Optional(Type.Union([QualificationSummary, Type.Null()])),
    conversion: Type.Optional(Type.Union([ConversionResult, Type.Null()])),
    recycleAt: Type.Optional(NullableTime),
  },
  { title: 'JourneyView' },
)
export type JourneyViewBody = Static<typeof JourneyView>

const Role = Type.Enum(['decision_maker', 'economic_buyer', 'champion', 'influencer', 'user', 'unknown'])

/** One criterion's answer: status and note, plus the facts that criterion carries. */
const Answer = (extra: Record<string, TSchema>) =>
  Type.Object(
    {
      status: Type.Enum(['unknown', 'partial', 'confirmed', 'negative']),
      note: Type.Optional(Type.String({ maxLength: 2000 })),
      ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, Type.Optional(v)])),
    },
    { additionalProperties: false },
  )

const criteria = (names: readonly string[]) =>
  Object.fromEntries(
    names.map((n) => {
      const extra: Record<string, TSchema> =
        n === 'budget'
          ? { amount: Type.Number({ minimum: 0 }), currency: Type.String({ pattern: '^[A-Z]{3}$' }) }
          : n === 'timeline'
            ? { targetDate: Type.String({ format: 'date' }) }
            : n === 'authority' || n === 'economicBuyer' || n === 'champion'
              ? { role: Role }
              : n === 'competition'
                ? { competitors: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 20 }) }
                : {}
      return [n, Type.Optional(Answer(extra))]
    }),
  )

export const QualificationBody = Type.Union(
  [
    Type.Object(
      {
        framework: Type.Literal('BANT'),
        criteria: Type.Object(criteria(BANT_CRITERIA), { additionalProperties: false, minProperties: 1 }),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        framework: Type.Literal('MEDDICC'),
        criteria: Type.Object(criteria(MEDDICC_CRITERIA), { additionalProperties: false, minProperties: 1 }),
      },
      { additionalProperties: false },
    ),
  ],
  {
    title: 'QualificationAnswers',
    description: 'Answers replace the earlier answer for each criterion they name.',
  },
)

export const StoredQualification = Type.Object(
  {
    leadId: Type.String({ format: 'uuid' }),
    record: Type.Object({
      bant: Type.Record(Type.String(), Type.Unknown()),
      meddicc: Type.Record(Type.String(), Type.Unknown()),
    }),
    summary: QualificationSummary,
    updatedAt: NullableTime,
    updatedBy: Type.Union([Type.String(), Type.Null()]),
  },
  { title: 'Qualification' },
)

export const ConversionBody = Type.Object(
  {
    opportunity: Type.Object(
      {
        name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        amount: Type.Number({ minimum: 0, maximum: 1e15 }),
        currency: Type.String({ pattern: '^[A-Z]{3}$' }),
        stage: Type.Optional(Type.Enum([...OPPORTUNITY_STAGES])),
        probability: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
        closeDate: Type.String({ format: 'date' }),
      },
      { additionalProperties: false },
    ),
    account: Type.Optional(
      Type.Object(
        {
          gstin: Type.Optional(
            Type.String({ maxLength: 20, description: 'Indian GSTIN: matched after the domain.' }),
          ),
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          type: Type.Optional(Type.Enum(['prospect', 'customer', 'partner', 'reseller'])),
        },
        { additionalProperties: false },
      ),
    ),
    contactRole: Type.Optional(Type.Enum(['decision_maker', 'champion', 'influencer', 'billing', 'user'])),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false, title: 'ConversionRequest' },
)

const Reason = Type.Object({ code: Type.String(), message: Type.String() })
export const Eligibility = Type.Object(
  { eligible: Type.Boolean(), stage: Type.Union([Type.String(), Type.Null()]), reasons: Type.Array(Reason) },
  { title: 'ConversionEligibility' },
)

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()])
export const ConversionPreview = Type.Object(
  {
    eligibility: Eligibility,
    account: Type.Object({
      action: Type.Enum(['match', 'create']),
      matchedBy: Type.Union([Type.Enum(['domain', 'gstin']), Type.Null()]),
      id: Nullable(Type.String()),
      name: Type.String(),
      domain: Nullable(Type.String()),
      gstin: Nullable(Type.String()),
      reactivate: Type.Boolean(),
    }),
    contact: Type.Object({
      firstName: Nullable(Type.String()),
      lastName: Nullable(Type.String()),
      email: Nullable(Type.String()),
      phone: Nullable(Type.String()),
      title: Nullable(Type.String()),
      roles: Type.Array(Type.String()),
    }),
    opportunity: Type.Object({
      name: Type.String(),
      amount: Type.Union([Type.Number(), Type.Null()], {
        description: "Null when the caller's role may not see deal amounts.",
      }),
      currency: Type.String(),
      stage: Type.String(),
      probability: Type.Integer(),
      forecastCategory: Type.String(),
      closeDate: Type.String({ format: 'date' }),
      ownerId: Nullable(Type.String()),
    }),
  },
  { title: 'ConversionPreview' },
)

export const StageCommandBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false, title: 'StageChange' },
)

export const ConsentBody = Type.Object(
  {
    status: Type.Enum(['granted', 'withdrawn', 'unchanged'], {
      description: 'granted: an opt-in; withdrawn: an opt-out; unchanged: only the DND flag changes.',
    }),
    channels: Type.Optional(
      Type.Array(Type.Enum(['email', 'whatsapp', 'sms', 'phone']), { uniqueItems: true, maxItems: 4 }),
    ),
    dnd: Type.Optional(Type.Boolean({ description: "On India's NCPR (DND) registry." })),
    source: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'Where the change came from (unsubscribe link, call, DND lookup).',
    }),
    text: Type.Optional(Type.String({ maxLength: 5000, description: 'The wording the person agreed to.' })),
    textVersion: Type.Optional(Type.String({ maxLength: 100 })),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false, title: 'ConsentChange' },
)

export const ConsentResult = Type.Object(
  {
    leadId: Type.String({ format: 'uuid' }),
    consentRecordId: Type.String(),
    status: Type.String(),
    channels: Type.Array(Type.String()),
    dnd: Type.Boolean(),
    marketing: Type.Object({ email: Type.Boolean(), whatsapp: Type.Boolean(), sms: Type.Boolean() }),
  },
  { title: 'ConsentResult' },
)
