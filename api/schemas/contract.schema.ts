import { Type } from 'typebox'
import {
  CONTRACT_KINDS,
  CONTRACT_STATUSES,
  DEFAULT_RENEWAL_LEAD_DAYS,
  MAX_RENEWAL_LEAD_DAYS,
} from '../../domain/renewal/contract.rules.js'
import { PageOf, PageQueryFields } from './page.schema.js'
import { IsoTime, Nullable, Text } from './primitives.js'

const Uuid = Type.String({ format: 'uuid' })
const NullableUuid = Type.Union([Uuid, Type.Null()])
const CalendarDate = Type.String({ format: 'date' })
const UserId = Text(200)
const Money = Type.Number({ minimum: 0, description: 'At most 2 decimals.' })
const leadDays = (extra: object = {}) =>
  Type.Integer({
    minimum: 0,
    maximum: MAX_RENEWAL_LEAD_DAYS,
    description: 'Days before the end date the renewal opportunity is opened.',
    ...extra,
  })

export const Contract = Type.Object(
  {
    id: Uuid,
    number: Type.String({ description: 'CTR/<financial year>/<counter>, gapless per year.' }),
    accountId: Uuid,
    opportunityId: NullableUuid,
    orderId: NullableUuid,
    kind: Type.Enum([...CONTRACT_KINDS]),
    startDate: CalendarDate,
    endDate: CalendarDate,
    value: Type.Number(),
    currency: Type.String(),
    status: Type.Enum([...CONTRACT_STATUSES]),
    autoRenew: Type.Boolean(),
    renewalLeadDays: Type.Integer(),
    ownerId: Type.Union([Type.String(), Type.Null()]),
    renewedByContractId: NullableUuid,
    createdAt: IsoTime,
    updatedAt: IsoTime,
  },
  { title: 'Contract' },
)

export const ContractParams = Type.Object({ id: Uuid })

export const CreateContractBody = Type.Object(
  {
    accountId: Uuid,
    opportunityId: Type.Optional(Uuid),
    orderId: Type.Optional(Uuid),
    kind: Type.Enum([...CONTRACT_KINDS]),
    startDate: CalendarDate,
    endDate: Type.String({
      format: 'date',
      description: 'Last day covered; after the start, not in the past.',
    }),
    value: Money,
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    autoRenew: Type.Optional(Type.Boolean({ default: false })),
    renewalLeadDays: Type.Optional(leadDays({ default: DEFAULT_RENEWAL_LEAD_DAYS })),
    ownerId: Type.Optional(Nullable(UserId)),
  },
  { additionalProperties: false, title: 'CreateContract' },
)

export const UpdateContractBody = Type.Object(
  {
    endDate: Type.Optional(CalendarDate),
    renewalLeadDays: Type.Optional(leadDays()),
    ownerId: Type.Optional(Nullable(UserId)),
    value: Type.Optional(Money),
  },
  { additionalProperties: false, minProperties: 1, title: 'UpdateContract' },
)

export const CancelContractBody = Type.Object(
  { reason: Text(1000) },
  { additionalProperties: false, title: 'CancelContract' },
)

export const RenewContractBody = Type.Object(
  {
    endDate: Type.String({
      format: 'date',
      description: 'The successor’s end; it starts the day after the old end.',
    }),
    value: Type.Optional(Money),
  },
  { additionalProperties: false, title: 'RenewContract' },
)

export const RenewedContract = Type.Object(
  { renewed: Contract, successor: Contract },
  { title: 'RenewedContract' },
)

export const ListContractsQuery = Type.Object(
  {
    accountId: Type.Optional(Uuid),
    status: Type.Optional(Type.Enum([...CONTRACT_STATUSES])),
    endingBefore: Type.Optional(
      // Year 0000 passes the date format but not PostgreSQL.
      Type.String({
        format: 'date',
        pattern: '^(?!0000-)',
        description: 'Only contracts ending before this date.',
      }),
    ),
    ...PageQueryFields,
  },
  { additionalProperties: false },
)

export const ContractPage = PageOf(Contract, 'ContractPage')
