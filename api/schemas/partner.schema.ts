import { Type, type Static } from 'typebox'
import { NO_NUL, Text, IsoTime } from './primitives.js'
import { PageOf, PageQueryFields } from './page.schema.js'
import { CaptureLeadBody } from './lead.schema.js'

const NullableTime = Type.Union([IsoTime, Type.Null()])

// ---------------------------------------------------------------------------------------
// What partners send (POST /partner/v1/leads)
// ---------------------------------------------------------------------------------------

// A partner's lead is a public capture without `channel` (always partner_api) and with
// `partnerLeadId` in place of `externalId`: one name for the partner's own id.
const { channel: _channel, externalId: _externalId, ...captureFields } = CaptureLeadBody.properties

export const PartnerLeadBody = Type.Object(
  {
    ...captureFields,
    partnerLeadId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 300,
        pattern: NO_NUL,
        description: "The partner's own id for this lead (stored as the lead's external id).",
      }),
    ),
  },
  { additionalProperties: false, title: 'PartnerLead' },
)
export type PartnerLeadBody = Static<typeof PartnerLeadBody>

const IDEMPOTENCY_KEY_PATTERN = '^[A-Za-z0-9._:-]{1,200}$'

export const PartnerLeadHeaders = Type.Object({
  authorization: Type.String({
    description: '`Bearer lwp_<keyId>_<secret>`: a key issued by POST /v1/partners/{id}/keys.',
  }),
  'x-leadwire-signature': Type.String({
    description:
      '`t=<unix seconds>,v1=<hex HMAC-SHA256(key, "<t>.<raw body>")>`; refused when more than 300 s from our clock.',
  }),
  'idempotency-key': Type.String({
    minLength: 1,
    maxLength: 200,
    pattern: IDEMPOTENCY_KEY_PATTERN,
    description:
      'Required. A retry with the same key and body gets the first answer (`replayed: true`); the same key with another body is a 422.',
  }),
})

export const PartnerLeadAccepted = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    outcome: Type.Enum(['created', 'duplicate', 'quarantined'], {
      description:
        'created: a new master lead. duplicate: a known person (linked to duplicateOf). quarantined: likely spam.',
    }),
    duplicateOf: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    replayed: Type.Boolean({
      description: 'True when this is the stored answer to an earlier request with the same Idempotency-Key.',
    }),
    partnerId: Type.String(),
  },
  { title: 'PartnerLeadAccepted' },
)

// ---------------------------------------------------------------------------------------
// Admin API (/v1/partners)
// ---------------------------------------------------------------------------------------

// The id is part of the default attribution source (`partner:<id>`), which attribution
// lower-cases: a lower-case slug keeps the two equal.
const PartnerId = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]{1,62}$',
  description: 'A lower-case slug (2-63 characters: a-z, 0-9, -).',
})
const Name = Text(200)
const RateLimit = Type.Integer({ minimum: 1, maximum: 100_000, description: 'Requests per minute.' })
const AttributionSource = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: NO_NUL,
  description: 'utm_source stamped on its leads (lower-cased); `partner:<id>` when absent.',
})

export const PartnerParams = Type.Object({ id: PartnerId })
export const PartnerKeyParams = Type.Object({
  id: PartnerId,
  keyId: Type.String({ pattern: '^[0-9a-f]{12}$' }),
})

export const CreatePartnerBody = Type.Object(
  {
    id: PartnerId,
    name: Name,
    rateLimitPerMinute: Type.Optional(RateLimit),
    attributionSource: Type.Optional(AttributionSource),
  },
  { additionalProperties: false, title: 'CreatePartner' },
)
export type CreatePartnerBody = Static<typeof CreatePartnerBody>

export const PatchPartnerBody = Type.Object(
  {
    name: Type.Optional(Name),
    isActive: Type.Optional(
      Type.Boolean({ description: 'An inactive partner is refused (403) whatever key it uses.' }),
    ),
    rateLimitPerMinute: Type.Optional(RateLimit),
  },
  { additionalProperties: false, minProperties: 1, title: 'PatchPartner' },
)
export type PatchPartnerBody = Static<typeof PatchPartnerBody>

export const PartnerKeySummary = Type.Object(
  {
    id: Type.String(),
    label: Type.Union([Type.String(), Type.Null()]),
    createdAt: IsoTime,
    createdBy: Type.String(),
    lastUsedAt: Type.Union([IsoTime, Type.Null()], {
      description: 'Updated at most once a minute per key.',
    }),
    revokedAt: NullableTime,
    revokedBy: Type.Union([Type.String(), Type.Null()]),
  },
  { title: 'PartnerKeySummary', description: 'A key as listed: never the key itself, nor its hash.' },
)

const partnerFields = {
  id: Type.String(),
  name: Type.String(),
  isActive: Type.Boolean(),
  rateLimitPerMinute: Type.Integer(),
  attributionSource: Type.String({ description: 'The source stamped on its leads.' }),
  createdAt: IsoTime,
  createdBy: Type.String(),
  updatedAt: IsoTime,
  updatedBy: Type.String(),
}

export const PartnerSummary = Type.Object(
  { ...partnerFields, activeKeys: Type.Integer({ description: 'Keys not revoked.' }) },
  { title: 'PartnerSummary' },
)

export const PartnerDetail = Type.Object(
  { ...partnerFields, keys: Type.Array(PartnerKeySummary) },
  { title: 'Partner' },
)

export const PartnerList = PageOf(PartnerSummary, 'PartnerList')

export const ListPartnersQuery = Type.Object(
  {
    isActive: Type.Optional(Type.Boolean()),
    q: Type.Optional(Text(200, { description: 'Part of the partner id or name (case-insensitive).' })),
    ...PageQueryFields,
  },
  { additionalProperties: false },
)

export const CreateKeyBody = Type.Object(
  { label: Type.Optional(Text(200)) },
  { additionalProperties: false, title: 'CreatePartnerKey' },
)

export const IssuedKey = Type.Object(
  {
    id: Type.String(),
    key: Type.String({
      description: 'The full key, `lwp_<keyId>_<secret>`. Shown this once: only its sha256 is stored.',
    }),
    label: Type.Union([Type.String(), Type.Null()]),
    createdAt: IsoTime,
  },
  { title: 'IssuedPartnerKey' },
)
