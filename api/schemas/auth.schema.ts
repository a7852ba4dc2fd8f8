import { Type, type Static } from 'typebox'
import { MAX_PASSWORD_LENGTH } from '../../security/password-policy.js'
import { MIN_PASSWORD_LENGTH } from '../../security/passwords.js'
import { IsoTime, NO_NUL, Text } from './primitives.js'

/** A password as typed: any characters but U+0000, checked against the policy by the server. */
export const Password = (description: string) =>
  Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH * 4, pattern: NO_NUL, description })

export const LoginBody = Type.Object(
  {
    email: Text(320, { description: 'Any case.' }),
    password: Password('The person’s password.'),
  },
  { additionalProperties: false, title: 'Login' },
)
export type LoginBody = Static<typeof LoginBody>

export const SignedInUser = Type.Object(
  { id: Type.String(), name: Type.String(), email: Type.String(), role: Type.String() },
  { title: 'SignedInUser' },
)

export const LoginResult = Type.Object(
  {
    token: Type.String({
      description:
        'The session token (lws_…), also set as the HttpOnly cookie lw_session. Scripts send it as ' +
        '`Authorization: Bearer <token>`. Shown once; only its hash is stored.',
    }),
    expiresAt: IsoTime,
    user: SignedInUser,
  },
  { title: 'LoginResult' },
)

const ActionList = Type.Array(Type.String())

export const Me = Type.Object(
  {
    user: Type.Object({
      id: Type.String(),
      name: Type.String(),
      email: Type.String(),
      managerId: Type.Union([Type.String(), Type.Null()]),
      teamId: Type.Union([Type.String(), Type.Null()]),
      lastLoginAt: Type.Union([IsoTime, Type.Null()]),
    }),
    role: Type.Object({ name: Type.String(), title: Type.String() }),
    permissions: Type.Record(Type.String(), ActionList, {
      description: 'What this credential may do, per object: the role’s permissions within the key’s scopes.',
    }),
    rowScopes: Type.Record(Type.String(), Type.String(), {
      description: 'Whose records are visible per object: all, team or own (own when absent).',
    }),
    fieldRules: Type.Record(Type.String(), Type.Record(Type.String(), Type.String()), {
      description: 'Fields hidden or read-only for this role, per object.',
    }),
    credential: Type.Object({
      kind: Type.Enum(['session', 'api_key', 'system']),
      id: Type.String({ description: 'The session’s or key’s id (never its secret).' }),
      scopes: ActionList,
    }),
  },
  { title: 'Me' },
)

export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Password('The password in use now.'),
    newPassword: Password(`At least ${MIN_PASSWORD_LENGTH} characters, not the email address.`),
  },
  { additionalProperties: false, title: 'ChangePassword' },
)
export type ChangePasswordBody = Static<typeof ChangePasswordBody>
