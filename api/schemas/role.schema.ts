import { Type, type Static } from 'typebox'
import {
  ACTIONS,
  FIELD_ACCESS,
  OBJECTS,
  RESTRICTABLE_FIELDS,
  ROW_SCOPES,
} from '../../domain/security/roles.rules.js'
import { IsoTime } from './primitives.js'

/*
 * A role's rules, spelled out object by object, so an unknown object, action, scope or
 * field is a 422 pointing at it (e.g. /body/permissions/lead/2) before anything is stored.
 */

const perObject = <T extends ReturnType<typeof Type.Optional>>(entry: () => T) =>
  Object.fromEntries(OBJECTS.map((o) => [o, entry()])) as Record<(typeof OBJECTS)[number], T>

export const Permissions = Type.Object(
  perObject(() => Type.Optional(Type.Array(Type.Enum([...ACTIONS]), { uniqueItems: true }))),
  {
    additionalProperties: false,
    description: 'Actions allowed per object; an object left out allows nothing.',
  },
)

export const RowScopes = Type.Object(
  perObject(() => Type.Optional(Type.Enum([...ROW_SCOPES]))),
  {
    additionalProperties: false,
    description: 'Whose records are visible per object: all, team or own (the default).',
  },
)

export const FieldRules = Type.Object(
  Object.fromEntries(
    Object.entries(RESTRICTABLE_FIELDS).map(([object, fields]) => [
      object,
      Type.Optional(
        Type.Object(Object.fromEntries(fields.map((f) => [f, Type.Optional(Type.Enum([...FIELD_ACCESS]))])), {
          additionalProperties: false,
        }),
      ),
    ]),
  ),
  {
    additionalProperties: false,
    description: 'Fields hidden or read-only, per object (the restrictable ones only).',
  },
)

export const RoleRulesBody = Type.Object(
  { permissions: Permissions, rowScopes: RowScopes, fieldRules: FieldRules },
  { additionalProperties: false, title: 'RoleRules' },
)
export type RoleRulesBody = Static<typeof RoleRulesBody>

export const Role = Type.Object(
  {
    name: Type.String(),
    title: Type.String(),
    builtIn: Type.Boolean(),
    customised: Type.Boolean({ description: 'A built-in role whose rules an admin changed.' }),
    permissions: Type.Record(Type.String(), Type.Array(Type.String())),
    rowScopes: Type.Record(Type.String(), Type.String()),
    fieldRules: Type.Record(Type.String(), Type.Record(Type.String(), Type.String())),
    updatedAt: Type.Union([IsoTime, Type.Null()]),
    updatedBy: Type.Union([Type.String(), Type.Null()]),
    users: Type.Integer({ description: 'Active users with this role.' }),
  },
  { title: 'Role' },
)

export const RoleList = Type.Object({ items: Type.Array(Role) }, { title: 'RoleList' })

export const RoleParams = Type.Object({
  name: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$', description: 'Lower case, digits and _.' }),
})
