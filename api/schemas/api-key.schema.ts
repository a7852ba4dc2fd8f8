import { Type, type Static } from 'typebox'
import { MAX_GRACE_HOURS } from '../../security/api-keys.js'
import { PageOf, PageQueryFields } from './page.schema.js'
import { IsoTime, Text } from './primitives.js'

const NullableString = Type.Union([Type.String(), Type.Null()])
const NullableTime = Type.Union([IsoTime, Type.Null()])

const ApiKeyProperties = {
  id: Type.String({ format: 'uuid' }),
  prefix: Type.String({ description: 'The key’s first characters (lwk_xxxxxxxx), to tell keys apart.' }),
  name: Type.String(),
  userId: Type.String({ description: 'The user the key acts as.' }),
  scopes: Type.Array(Type.String(), {
    description: 'object:action pairs; empty: all of its user’s permissions.',
  }),
  status: Type.Enum(['active', 'expired', 'revoked']),
  createdAt: IsoTime,
  createdBy: Type.String(),
  lastUsedAt: Type.Union([IsoTime, Type.Null()], { description: 'Updated at most once a minute.' }),
  expiresAt: NullableTime,
  revokedAt: NullableTime,
  revokedBy: NullableString,
  replacesId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
    description: 'The key this one replaced when it was rotated.',
  }),
}

export const ApiKey = Type.Object(ApiKeyProperties, { title: 'ApiKey' })
export const ApiKeyPage = PageOf(ApiKey, 'ApiKeyPage')

const Secret = Type.String({
  description:
    'The key itself: shown in this response only, never again. Send it as `Authorization: Bearer <key>`.',
})

export const CreatedApiKey = Type.Object({ ...ApiKeyProperties, key: Secret }, { title: 'CreatedApiKey' })

export const RotatedApiKey = Type.Object(
  {
    ...ApiKeyProperties,
    key: Secret,
    replaced: Type.Object(ApiKeyProperties, { description: 'The old key, now ending at its expiresAt.' }),
  },
  { title: 'RotatedApiKey' },
)

const Scope = Type.String({
  pattern: '^[a-z_*]{1,30}(:[a-z_*]{1,20})?$',
  description: '"lead:create", "lead:*" (whatever the user may do with leads) or "*".',
})

export const CreateApiKeyBody = Type.Object(
  {
    name: Text(100, { description: 'What the key is for, e.g. "website forms".' }),
    userId: Type.Optional(
      Text(200, {
        description: 'The user it acts as; the caller by default. Another user needs api_key:create.',
      }),
    ),
    scopes: Type.Array(Scope, {
      maxItems: 100,
      description: 'What the key may do, within its user’s role; [] for everything the user may do.',
    }),
    expiresAt: Type.Optional(IsoTime),
  },
  { additionalProperties: false, title: 'CreateApiKey' },
)
export type CreateApiKeyBody = Static<typeof CreateApiKeyBody>

export const RotateApiKeyBody = Type.Object(
  {
    graceHours: Type.Integer({
      minimum: 0,
      maximum: MAX_GRACE_HOURS,
      default: 24,
      description: 'How long the old key keeps working (never longer than it would have anyway).',
    }),
    expiresAt: Type.Optional(
      Type.String({ format: 'date-time', description: 'When the new key ends; never by default.' }),
    ),
  },
  { additionalProperties: false, title: 'RotateApiKey' },
)
export type RotateApiKeyBody = Static<typeof RotateApiKeyBody>

export const ApiKeyParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

export const ListApiKeysQuery = Type.Object(
  {
    userId: Type.Optional(
      Text(200, { description: 'Keys of this user (only your own without api_key:read).' }),
    ),
    status: Type.Optional(Type.Enum(['active', 'expired', 'revoked'])),
    ...PageQueryFields,
  },
  { additionalProperties: false },
)
export type ListApiKeysQuery = Static<typeof ListApiKeysQuery>
