import { Type, type Static } from 'typebox'
import { MIN_PASSWORD_LENGTH } from '../../security/passwords.js'
import { Password } from './auth.schema.js'
import { PageOf, PageQueryFields } from './page.schema.js'
import { IsoTime, Nullable, Text } from './primitives.js'

const NullableString = Type.Union([Type.String(), Type.Null()])
const NullableTime = Type.Union([IsoTime, Type.Null()])

const RoleName = Text(40, {
  description:
    'A built-in role (admin, sales_manager, sales_rep, sdr, marketing, read_only) or a custom one.',
})

export const User = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    email: Type.String(),
    role: Type.String(),
    managerId: NullableString,
    teamId: NullableString,
    isActive: Type.Boolean(),
    hasPassword: Type.Boolean({ description: 'Whether the person can sign in to the console.' }),
    passwordChangedAt: NullableTime,
    lastLoginAt: NullableTime,
    createdAt: IsoTime,
    updatedAt: IsoTime,
  },
  { title: 'User' },
)

export const UserPage = PageOf(User, 'UserPage')

export const UserParams = Type.Object({ id: Text(200) })

export const ListUsersQuery = Type.Object(
  {
    role: Type.Optional(Text(40)),
    managerId: Type.Optional(Text(200, { description: 'Direct reports of this user.' })),
    isActive: Type.Optional(Type.Boolean({ description: 'Omit for everyone.' })),
    q: Type.Optional(Text(200, { description: 'Part of the name or email, any case.' })),
    ...PageQueryFields,
  },
  { additionalProperties: false },
)
export type ListUsersQuery = Static<typeof ListUsersQuery>

const NewPassword = Password(`At least ${MIN_PASSWORD_LENGTH} characters, not the email address.`)

export const CreateUserBody = Type.Object(
  {
    id: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$',
        description: 'A stable id (letters, digits, . _ @ -); a UUIDv7 when omitted.',
      }),
    ),
    name: Text(200),
    email: Type.String({
      format: 'email',
      maxLength: 320,
      description: 'Stored in lower case; unique in any case.',
    }),
    role: RoleName,
    managerId: Type.Optional(Nullable(Text(200, { description: 'The user this person reports to.' }))),
    teamId: Type.Optional(Nullable(Text(200))),
    password: Type.Optional(NewPassword),
  },
  { additionalProperties: false, title: 'CreateUser' },
)
export type CreateUserBody = Static<typeof CreateUserBody>

export const PatchUserBody = Type.Object(
  {
    name: Type.Optional(Text(200)),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
    role: Type.Optional(RoleName),
    managerId: Type.Optional(
      Nullable(Text(200, { description: 'Refused when that user reports to this one (a loop).' })),
    ),
    teamId: Type.Optional(Nullable(Text(200))),
    isActive: Type.Optional(
      Type.Boolean({ description: 'false deactivates: ends their sessions and revokes their API keys.' }),
    ),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    title: 'PatchUser',
    description: 'Only the fields sent change. Users are never deleted: set isActive false.',
  },
)
export type PatchUserBody = Static<typeof PatchUserBody>

export const SetPasswordBody = Type.Object(
  { password: NewPassword },
  { additionalProperties: false, title: 'SetPassword' },
)
