import { Type, type Static } from 'typebox'
import { IsoTime, Text } from './primitives.js'

const Id = Type.String({ format: 'uuid' })
const NullableString = Type.Union([Type.String(), Type.Null()])
const NullableTime = Type.Union([IsoTime, Type.Null()])

const SubjectFields = {
  email: Type.Optional(
    Text(320, { description: 'Normalised as ingestion does: lower case; Gmail dots and +tags ignored.' }),
  ),
  phone: Type.Optional(
    Text(40, { description: 'Any common format; read as E.164 with the default country when national.' }),
  ),
  leadId: Type.Optional(Id),
  contactId: Type.Optional(Id),
}

const SUBJECT_DESCRIPTION =
  'The person, by any of email, phone, lead id or contact id (at least one). Their other leads (duplicates, ' +
  'their master, leads with the same email, phone or match key) and contacts (by email or phone, or converted ' +
  'from those leads) are found from there.'

/** Who a privacy request is about. */
export const SubjectBody = Type.Object(SubjectFields, {
  additionalProperties: false,
  minProperties: 1,
  title: 'PrivacySubject',
  description: SUBJECT_DESCRIPTION,
})
export type SubjectBody = Static<typeof SubjectBody>

export const SubjectQuery = Type.Object(SubjectFields, {
  additionalProperties: false,
  minProperties: 1,
  description: SUBJECT_DESCRIPTION,
})

const SubjectRef = Type.Object({
  subjectHash: Type.String({ description: 'sha256 of the normalised identifiers asked for.' }),
  leadIds: Type.Array(Id),
  contactIds: Type.Array(Id),
})

const Rows = (description: string) =>
  Type.Array(Type.Record(Type.String(), Type.Unknown()), {
    description: `${description} Every column, as stored: bigints and decimals as strings, times in ISO 8601.`,
  })

export const SubjectExport = Type.Object(
  {
    privacyRequestId: Id,
    generatedAt: IsoTime,
    subject: SubjectRef,
    counts: Type.Record(Type.String(), Type.Integer(), { description: 'Rows per part of `data`.' }),
    data: Type.Object({
      leads: Rows('The person’s leads, duplicates included.'),
      matchKeys: Rows('The exact dedupe keys (email, phone) their leads own.'),
      rawCaptures: Rows('Each capture’s payload as the channel delivered it.'),
      touches: Rows('Marketing touches (source, medium, campaign, pages).'),
      consentRecords: Rows('The consent history, oldest first.'),
      decisions: Rows(
        'Every governed decision (validation, spam, dedupe, consent, score, assignment) with its inputs.',
      ),
      activities: Rows('Timeline entries on their leads and contacts.'),
      tasks: Rows('Tasks about them.'),
      outboundMessages: Rows('Messages planned, sent or skipped, with the consent each relied on.'),
      whatsappMessages: Rows('WhatsApp messages queued for their number.'),
      qualifications: Rows('Qualification answers (BANT, MEDDICC).'),
      conversions: Rows('Conversions of their leads into an account, contact and deal.'),
      inboundDeliveries: Rows('Deliveries from capture channels that named them.'),
      contacts: Rows('Contacts that are the person.'),
      opportunities: Rows('Deals converted from their leads or naming them as contact.'),
      tickets: Rows('Support tickets they raised as a contact.'),
      personalAccounts: Rows(
        'Accounts that are the person rather than a company (no company given, or their own).',
      ),
      importRowErrors: Rows('Import rows naming them that could not be captured.'),
      auditEvents: Rows('The audit trail of all of the above.'),
    }),
  },
  { title: 'PrivacyExport' },
)

const Counts = (description: string) => Type.Record(Type.String(), Type.Integer(), { description })

export const ErasureResult = Type.Object(
  {
    privacyRequestId: Id,
    subject: SubjectRef,
    anonymised: Counts('Rows changed per table; a second erasure of the same person changes none.'),
    deleted: Counts(
      'Match keys, stored idempotent answers and pending outbox events removed, and payload keys destroyed.',
    ),
    terminatedJourneys: Type.Array(Type.String(), {
      description: 'Journey workflow ids told to terminate (through the outbox, after commit).',
    }),
    destroyedPayloadKeys: Type.Array(Type.String(), {
      description:
        'Subjects (`lead:<id>`, `account:<id>`) whose Temporal payload keys were destroyed: their workflow histories can no longer be decoded.',
    }),
  },
  { title: 'PrivacyErasure' },
)

const ConsentRecordView = Type.Object({
  id: Type.String(),
  leadId: Id,
  status: Type.String({ description: 'granted, denied, withdrawn, unknown.' }),
  channels: Type.Array(Type.String()),
  source: NullableString,
  textVersion: NullableString,
  text: Type.Union([Type.String({ description: 'The wording the person saw.' }), Type.Null()]),
  at: IsoTime,
  dnd: Type.Boolean(),
  recordedAt: IsoTime,
  recordedBy: Type.String(),
})

export const ConsentHistory = Type.Object(
  {
    subject: SubjectRef,
    records: Type.Array(ConsentRecordView, { description: 'Every consent record, oldest first.' }),
    current: Type.Object({
      leads: Type.Array(
        Type.Object({
          leadId: Id,
          isDuplicate: Type.Boolean(),
          consentStatus: Type.String(),
          consentChannels: Type.Array(Type.String()),
          optInAt: NullableTime,
          optOutAt: NullableTime,
          optOutReason: NullableString,
          dnd: Type.Boolean({ description: "On India's NCPR (DND) registry: no promotional calls or SMS." }),
          marketing: Type.Object(
            { email: Type.Boolean(), whatsapp: Type.Boolean(), sms: Type.Boolean() },
            {
              description:
                'Whether a marketing message may go out on each nurture channel now (DND stops SMS).',
            },
          ),
        }),
      ),
      contacts: Type.Array(
        Type.Object({
          contactId: Id,
          consentStatus: Type.String(),
          consentChannels: Type.Array(Type.String()),
          optOutAt: NullableTime,
          dnd: Type.Boolean(),
          isActive: Type.Boolean(),
        }),
      ),
    }),
  },
  { title: 'ConsentHistory' },
)
