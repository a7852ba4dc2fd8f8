import { Type, type Static } from 'typebox'
import { PageOf, PageQueryFields } from './page.schema.js'
import { IsoTime, Text } from './primitives.js'

const Filter = (description: string) => Type.Optional(Text(200, { description }))

export const ListAuditQuery = Type.Object(
  {
    entity: Filter('The kind of record: lead, account, contact, opportunity, task, invoice, user, role, …'),
    entityId: Filter("One record's id (with `entity`: that record's whole history)."),
    actorId: Filter('Who wrote: user:<id>, connector:<id>, system:…, api:anonymous.'),
    action: Filter('create, update, merge, convert, deactivate, role_change, …'),
    requestId: Filter('Every write one request made (the x-request-id it was answered with).'),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Inclusive.' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive.' })),
    ...PageQueryFields,
  },
  { additionalProperties: false },
)
export type ListAuditQuery = Static<typeof ListAuditQuery>

export const AuditEntry = Type.Object(
  {
    id: Type.String({ description: 'Sequence number of the entry (increasing).' }),
    entity: Type.String(),
    entityId: Type.String(),
    action: Type.String(),
    actorId: Type.String({
      description: 'user:<id> for a person or their API key; connector:<id>, system:…',
    }),
    requestId: Type.Union([Type.String(), Type.Null()]),
    changes: Type.Record(
      Type.String(),
      Type.Object(
        { from: Type.Unknown(), to: Type.Unknown() },
        { description: 'A field before and after (from null for a created record).' },
      ),
    ),
    at: IsoTime,
  },
  { title: 'AuditEntry' },
)

export const AuditPage = PageOf(AuditEntry, 'AuditPage')
