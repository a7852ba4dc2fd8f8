import { Type, type Static } from 'typebox'
import { ACCOUNT_TYPES } from '../../domain/account/account-draft.rules.js'
import { LIFECYCLE_STAGES } from '../../domain/account/lifecycle.rules.js'
import { COMPANY_SIZES } from '../../domain/lead/draft-lead.js'
import { PageOf, PageQueryFields } from './page.schema.js'
import { IsoTime, Nullable, Text } from './primitives.js'

const NullableString = Type.Union([Type.String(), Type.Null()])
const NullableTime = Type.Union([IsoTime, Type.Null()])

const AccountTypeEnum = Type.Enum([...ACCOUNT_TYPES])

/*
 * The fields people edit. GSTIN, domain and country are loose here on purpose: the account
 * rules (domain/account/account-draft.rules.ts) read them and say precisely what is wrong
 * (a GSTIN's failed check character, a free-mail domain) at the same JSON pointer.
 */
const EditableFields = {
  industry: Type.Optional(Nullable(Text(100))),
  companySize: Type.Optional(
    Type.Union([Type.Enum([...COMPANY_SIZES]), Type.Null()], { description: 'Employees, as a bucket.' }),
  ),
  annualRevenue: Type.Optional(
    Type.Union([
      Type.Number({ minimum: 0, description: 'At most 2 decimals; needs `currency`.' }),
      Type.Null(),
    ]),
  ),
  currency: Type.Optional(
    Nullable(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217, e.g. INR.' })),
  ),
  domain: Type.Optional(
    Nullable(
      Text(253, {
        description:
          'The company’s web domain; stored as its registrable domain in lower case (www.Acme.co.in → acme.co.in). ' +
          'Unique: one company, one account. Free-mail domains are refused.',
      }),
    ),
  ),
  gstin: Type.Optional(
    Nullable(
      Text(20, {
        description:
          'Indian GST registration (format, state code and check character are verified; stored upper case). ' +
          'Unique. Sets stateCode to its first two digits.',
      }),
    ),
  ),
  addressLine1: Type.Optional(Nullable(Text(200))),
  addressLine2: Type.Optional(Nullable(Text(200))),
  city: Type.Optional(Nullable(Text(100))),
  state: Type.Optional(Nullable(Text(100))),
  postalCode: Type.Optional(Nullable(Text(20, { description: 'A 6-digit PIN for an address in India.' }))),
  country: Type.Optional(
    Nullable(Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2.' })),
  ),
  stateCode: Type.Optional(
    Nullable(
      Type.String({
        pattern: '^[0-9]{2}$',
        description:
          'GST state code of the billing address (27 Maharashtra): the place of supply on invoices. ' +
          'Derived from the GSTIN when absent; must agree with it when both are given.',
      }),
    ),
  ),
  ownerId: Type.Optional(Nullable(Text(200, { description: 'An existing user’s id.' }))),
}

export const CreateAccountBody = Type.Object(
  {
    name: Text(200),
    type: Type.Optional(AccountTypeEnum),
    ...EditableFields,
  },
  { additionalProperties: false, title: 'CreateAccount' },
)
export type CreateAccountBody = Static<typeof CreateAccountBody>

export const PatchAccountBody = Type.Object(
  {
    name: Type.Optional(Text(200)),
    type: Type.Optional(AccountTypeEnum),
    ...EditableFields,
  },
  {
    additionalProperties: false,
    minProperties: 1,
    title: 'PatchAccount',
    description:
      'Only the fields sent change; null clears one. lifecycleStage and health are computed by the account ' +
      'lifecycle workflow and cannot be set; isActive changes through deactivate and reactivate.',
  },
)
export type PatchAccountBody = Static<typeof PatchAccountBody>

const HealthFactor = Type.Object({ code: Type.String(), points: Type.Number(), detail: Type.String() })

const AccountProperties = {
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  type: Type.String(),
  industry: NullableString,
  companySize: NullableString,
  annualRevenue: Type.Union([Type.Number(), Type.Null()]),
  currency: NullableString,
  domain: NullableString,
  gstin: NullableString,
  addressLine1: NullableString,
  addressLine2: NullableString,
  city: NullableString,
  state: NullableString,
  postalCode: NullableString,
  country: NullableString,
  stateCode: NullableString,
  ownerId: NullableString,
  primaryContactId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  lifecycleStage: Type.String({
    description: 'MQA, SQA, Customer or Churned: set by the lifecycle workflow.',
  }),
  lifecycleChangedAt: IsoTime,
  healthScore: Type.Integer({ description: '0-100, recomputed by the lifecycle workflow.' }),
  healthFactors: Type.Array(HealthFactor),
  healthUpdatedAt: NullableTime,
  isActive: Type.Boolean(),
  deactivatedAt: NullableTime,
  deactivationReason: NullableString,
  createdAt: IsoTime,
  updatedAt: IsoTime,
  createdBy: Type.String(),
  updatedBy: Type.String(),
}

export const Account = Type.Object(AccountProperties, { title: 'Account' })

export const AccountDetail = Type.Object(
  {
    ...AccountProperties,
    primaryContact: Type.Union([
      Type.Object({
        id: Type.String({ format: 'uuid' }),
        firstName: NullableString,
        lastName: NullableString,
        email: NullableString,
        phone: NullableString,
        title: NullableString,
      }),
      Type.Null(),
    ]),
    counts: Type.Object({
      contacts: Type.Integer({ description: 'Active contacts.' }),
      openOpportunities: Type.Integer({ description: 'Opportunities not closed won or lost.' }),
    }),
  },
  { title: 'AccountDetail' },
)

export const AccountParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

export const ListAccountsQuery = Type.Object(
  {
    q: Type.Optional(Text(200, { description: 'Part of the name, any case.' })),
    ownerId: Type.Optional(Text(200)),
    type: Type.Optional(AccountTypeEnum),
    lifecycleStage: Type.Optional(Type.Enum([...LIFECYCLE_STAGES])),
    industry: Type.Optional(Text(100, { description: 'The industry, any case.' })),
    isActive: Type.Boolean({ default: true, description: 'false lists deactivated accounts.' }),
    healthBelow: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 101, description: 'healthScore < this.' }),
    ),
    healthAtLeast: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 100, description: 'healthScore ≥ this.' }),
    ),
    ...PageQueryFields,
  },
  { additionalProperties: false },
)
export type ListAccountsQuery = Static<typeof ListAccountsQuery>

export const AccountPage = PageOf(Account, 'AccountPage')

export const DeactivateAccountBody = Type.Object(
  { reason: Text(500, { description: 'Why: kept on the account and in its history.' }) },
  { additionalProperties: false, title: 'DeactivateAccount' },
)

export const AuditEvent = Type.Object(
  {
    id: Type.String({ description: 'Sequence number of the event (increasing).' }),
    action: Type.String({ description: 'create, update, deactivate, reactivate, …' }),
    actorId: Type.String({ description: 'user:<id>, api:anonymous, system:…' }),
    requestId: NullableString,
    changes: Type.Record(
      Type.String(),
      Type.Object({ from: Type.Unknown(), to: Type.Unknown() }, { description: 'A field before and after.' }),
    ),
    at: IsoTime,
  },
  { title: 'AuditEvent' },
)

export const HistoryQuery = Type.Object({ ...PageQueryFields }, { additionalProperties: false })
export type HistoryQuery = Static<typeof HistoryQuery>

export const AccountHistoryPage = PageOf(AuditEvent, 'AccountHistoryPage')
