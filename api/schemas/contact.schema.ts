import { Type, type Static } from 'typebox'
import { CONTACT_ROLES } from '../../domain/contact/contact-draft.rules.js'
import { PageOf, PageQueryFields } from './page.schema.js'
import { IsoTime, Nullable, Text } from './primitives.js'

const NullableString = Type.Union([Type.String(), Type.Null()])
const RoleEnum = Type.Enum([...CONTACT_ROLES])

const EditableFields = {
  firstName: Type.Optional(Nullable(Text(100))),
  lastName: Type.Optional(Nullable(Text(100))),
  email: Type.Optional(Nullable(Text(254, { description: 'Stored in lower case.' }))),
  phone: Type.Optional(
    Nullable(
      Text(40, {
        description:
          'Any common format; stored as E.164. Numbers without +country code are read in the account’s ' +
          'country, else India (098765 43210 → +919876543210).',
      }),
    ),
  ),
  title: Type.Optional(Nullable(Text(200))),
  roles: Type.Optional(
    Type.Array(RoleEnum, {
      uniqueItems: true,
      maxItems: CONTACT_ROLES.length,
      description: 'What the person does in the buying decision; billing receives invoices.',
    }),
  ),
}

export const CreateContactBody = Type.Object(
  {
    accountId: Type.String({ format: 'uuid', description: 'An active account.' }),
    ...EditableFields,
    primary: Type.Optional(
      Type.Boolean({
        description:
          'Make this the account’s primary contact, replacing the current one. The first contact of an ' +
          'account without a primary contact becomes primary anyway.',
      }),
    ),
  },
  { additionalProperties: false, title: 'CreateContact' },
)
export type CreateContactBody = Static<typeof CreateContactBody>

export const PatchContactBody = Type.Object(EditableFields, {
  additionalProperties: false,
  minProperties: 1,
  title: 'PatchContact',
  description:
    'Only the fields sent change; null clears one (a contact keeps a first or a last name). The account, ' +
    'the primary flag (POST /v1/contacts/{id}/make-primary) and consent (carried over from the lead) are not edited here.',
})
export type PatchContactBody = Static<typeof PatchContactBody>

export const Contact = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    accountId: Type.String({ format: 'uuid' }),
    leadId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
      description: 'The lead this contact was converted from.',
    }),
    firstName: NullableString,
    lastName: NullableString,
    email: NullableString,
    phone: NullableString,
    title: NullableString,
    roles: Type.Array(Type.String()),
    isPrimary: Type.Boolean({ description: 'Whether the account names this contact its primary one.' }),
    consentStatus: Type.String({
      description: 'From the lead at conversion; unknown for contacts added by hand.',
    }),
    consentChannels: Type.Array(Type.String()),
    dnd: Type.Boolean(),
    optOutAt: Type.Union([IsoTime, Type.Null()]),
    isActive: Type.Boolean(),
    createdAt: IsoTime,
    updatedAt: IsoTime,
    createdBy: Type.String(),
    updatedBy: Type.String(),
  },
  { title: 'Contact' },
)

export const ContactParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

export const ListContactsQuery = Type.Object(
  {
    accountId: Type.Optional(Type.String({ format: 'uuid' })),
    role: Type.Optional(RoleEnum),
    q: Type.Optional(Text(200, { description: 'Part of the first name, last name or email, any case.' })),
    isActive: Type.Boolean({ default: true, description: 'false lists deactivated contacts.' }),
    ...PageQueryFields,
  },
  { additionalProperties: false },
)
export type ListContactsQuery = Static<typeof ListContactsQuery>

export const ContactPage = PageOf(Contact, 'ContactPage')
