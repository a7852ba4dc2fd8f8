import { Type, type Static } from 'typebox'
import { ORDER_STATUSES } from '../../crm/billing/orders.js'
import { GST_RATES } from '../../domain/billing/gst.rules.js'
import { PageOf, PageQueryFields } from './page.schema.js'
import { Nullable, Text } from './primitives.js'

const Uuid = Type.String({ format: 'uuid' })
const Money = (description: string) => Type.Number({ description })

export const HsnSac = Type.String({
  pattern: '^[0-9]{4,8}$',
  description: 'HSN code of goods or SAC code of services (4 to 8 digits).',
})
export const GstRate = Type.Enum([...GST_RATES], { description: 'GST rate in percent.' })

export const OrderLineInput = Type.Object(
  {
    description: Text(500),
    hsnSac: HsnSac,
    quantity: Type.Number({
      exclusiveMinimum: 0,
      maximum: 10_000_000,
      description: 'More than 0, at most 3 decimals.',
    }),
    unitPrice: Type.Number({
      minimum: 0,
      maximum: 100_000_000_000,
      description: 'Before tax, in the opportunity’s currency; at most 2 decimals.',
    }),
    gstRate: GstRate,
  },
  { additionalProperties: false, title: 'OrderLineInput' },
)

export const CreateOrderBody = Type.Object(
  {
    opportunityId: Uuid,
    lines: Type.Array(OrderLineInput, { minItems: 1, maxItems: 100 }),
    notes: Type.Optional(Nullable(Text(2000))),
  },
  { additionalProperties: false, title: 'CreateOrder' },
)
export type CreateOrderBody = Static<typeof CreateOrderBody>

const OrderFields = {
  id: Uuid,
  number: Type.String({ description: 'SO/<financial year>/<counter>, e.g. SO/26-27/000001.' }),
  accountId: Uuid,
  opportunityId: Nullable(Uuid),
  status: Type.Enum([...ORDER_STATUSES]),
  currency: Type.String(),
  subtotal: Money('Sum of the lines before tax.'),
  orderedAt: Type.String({ format: 'date-time' }),
  notes: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.String(),
}

export const OrderSummary = Type.Object(OrderFields, { title: 'OrderSummary' })

export const OrderLine = Type.Object(
  {
    id: Uuid,
    lineNo: Type.Integer(),
    description: Type.String(),
    hsnSac: Nullable(Type.String()),
    quantity: Type.Number(),
    unitPrice: Type.Number(),
    gstRate: Type.Number(),
    amount: Money('quantity × unitPrice, before tax.'),
    invoicedQuantity: Type.Number({ description: 'Already billed on invoices that are not void.' }),
    remainingQuantity: Type.Number({ description: 'Still to invoice.' }),
  },
  { title: 'OrderLine' },
)

export const Order = Type.Object({ ...OrderFields, lines: Type.Array(OrderLine) }, { title: 'Order' })

export const OrderParams = Type.Object({ id: Uuid })

export const ListOrdersQuery = Type.Object(
  {
    accountId: Type.Optional(Uuid),
    status: Type.Optional(Type.Enum([...ORDER_STATUSES])),
    ...PageQueryFields,
  },
  { additionalProperties: false },
)
export type ListOrdersQuery = Static<typeof ListOrdersQuery>

export const OrderPage = PageOf(OrderSummary, 'OrderPage')
