import { Type, type Static } from 'typebox'
import { SHAREABLE } from '../../security/shares.js'
import { IsoTime, Text } from './primitives.js'

const RecordType = Type.Enum([...SHAREABLE])
const ShareAccess = Type.Enum(['read', 'edit'], { description: 'read: see it; edit: also change it.' })

export const CreateShareBody = Type.Object(
  {
    recordType: RecordType,
    recordId: Type.String({ format: 'uuid' }),
    userId: Text(200, { description: 'The person to share it with (an active user).' }),
    access: ShareAccess,
  },
  { additionalProperties: false, title: 'CreateShare' },
)
export type CreateShareBody = Static<typeof CreateShareBody>

export const Share = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    recordType: Type.String(),
    recordId: Type.String({ format: 'uuid' }),
    userId: Type.String(),
    access: Type.String(),
    grantedBy: Type.String(),
    grantedAt: IsoTime,
  },
  { title: 'Share' },
)

export const ShareList = Type.Object({ items: Type.Array(Share) }, { title: 'ShareList' })

export const ListSharesQuery = Type.Object(
  { recordType: RecordType, recordId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
)

export const ShareParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
