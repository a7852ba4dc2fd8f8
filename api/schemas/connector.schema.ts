import { Type } from 'typebox'

const NullableTime = Type.Union([Type.String({ format: 'date-time' }), Type.Null()])

export const ConnectorSummary = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    channel: Type.Union([Type.String(), Type.Null()]),
    kind: Type.Enum(['webhook', 'listener', 'file', 'outbound']),
    summary: Type.String(),
    configured: Type.Boolean({ description: 'Its required settings are present.' }),
    enabled: Type.Boolean({ description: 'Configured and not listed in CONNECTORS_DISABLED.' }),
    status: Type.String({
      description: 'idle, starting, connected, pairing, reconnecting, disconnected, error or disabled.',
    }),
    lastActivityAt: NullableTime,
    deliveries: Type.Integer({ description: 'Deliveries handled (first deliveries, not replays).' }),
    duplicateDeliveries: Type.Integer({ description: 'Replayed deliveries recognised and ignored.' }),
    lastError: Type.Union([Type.String(), Type.Null()]),
    lastErrorAt: NullableTime,
    deliveryKey: Type.String({ description: 'The natural key that makes each delivery count once.' }),
    settings: Type.Array(
      Type.Object({
        key: Type.String(),
        secret: Type.Boolean(),
        required: Type.Boolean(),
        set: Type.Boolean(),
      }),
    ),
    endpoints: Type.Array(Type.Object({ method: Type.String(), path: Type.String(), auth: Type.String() })),
  },
  { title: 'Connector' },
)

export const ConnectorList = Type.Object(
  {
    items: Type.Array(ConnectorSummary),
    publicBaseUrl: Type.String({
      description:
        'Where callers reach this API (PUBLIC_BASE_URL, else the address it listens on): the URLs to give a vendor for its webhooks start with it.',
    }),
  },
  { title: 'ConnectorList' },
)
export const ConnectorParams = Type.Object({ id: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }) })
