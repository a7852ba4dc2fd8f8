import type { FastifyInstance } from 'fastify'
import QRCode from 'qrcode'
import { Type } from 'typebox'
import { problemResponses } from '../../api/schemas/problem.schema.js'
import type { ConnectorContext } from '../sdk/connector.js'
import { forgetPairing } from './pairing.js'
import { WHATSAPP_CONNECTOR_ID } from './manifest.js'
import type { PairingState } from './pairing.js'

const Pairing = Type.Object(
  {
    status: Type.String({
      description:
        'pairing (scan `qr`), connected, reconnecting, disconnected (re-pair), starting, idle, error.',
    }),
    qr: Type.Union([Type.String({ description: 'The QR payload; render it or use `qrSvg`.' }), Type.Null()]),
    qrSvg: Type.Union([Type.String({ description: 'The QR code as an SVG image.' }), Type.Null()]),
    pairedAs: Type.Union([Type.String({ description: 'The paired phone number (E.164).' }), Type.Null()]),
    updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { title: 'WhatsAppPairing' },
)

const LogoutAccepted = Type.Object({
  status: Type.Enum(['requested', 'logged_out'], {
    description:
      'requested: the process holding the socket logs out on its next poll; logged_out: no socket was connected, the stored pairing is removed.',
  }),
})

/**
 * Pairing from a browser: the QR the socket's holder stored in connector_state, readable on
 * any replica. The QR links a phone to this hub; put the API behind your access control.
 */
export async function whatsappRoutes(app: FastifyInstance, ctx: ConnectorContext): Promise<void> {
  app.get(
    '/v1/connectors/whatsapp/pairing',
    {
      schema: {
        tags: ['connectors'],
        summary: 'WhatsApp pairing: the QR to scan, or the paired number',
        description:
          'Scan `qr` (or the `qrSvg` image) with WhatsApp → Settings → Linked devices. WhatsApp replaces the code every ~20 seconds: poll this while `status` is `pairing`.',
        response: { 200: Pairing, ...problemResponses },
      },
    },
    async () => {
      const row = await ctx.db.connectorState.findUnique({ where: { connectorId: WHATSAPP_CONNECTOR_ID } })
      const state = (row?.state ?? {}) as Partial<PairingState>
      const status = row?.status ?? 'idle'
      const qr = status === 'pairing' && typeof state.qr === 'string' ? state.qr : null
      return {
        status,
        qr,
        qrSvg: qr ? await QRCode.toString(qr, { type: 'svg', margin: 2 }) : null,
        pairedAs: status === 'connected' ? (state.pairedAs ?? null) : null,
        updatedAt: row?.updatedAt.toISOString() ?? null,
      }
    },
  )

  app.post(
    '/v1/connectors/whatsapp/logout',
    {
      schema: {
        tags: ['connectors'],
        summary: 'Unlink the paired WhatsApp account',
        description: 'The socket logs out of WhatsApp and the stored pairing is removed; a new QR follows.',
        response: { 202: LogoutAccepted, ...problemResponses },
      },
    },
    async (_request, reply) => {
      const row = await ctx.db.connectorState.findUnique({ where: { connectorId: WHATSAPP_CONNECTOR_ID } })
      if (row?.status === 'connected') {
        // Only the process holding the socket can log it out; it reads this flag on its next poll.
        await ctx.status.mergeState({ logoutRequested: true })
        return reply.code(202).send({ status: 'requested' as const })
      }
      await forgetPairing(ctx, ctx.config.WHATSAPP_SESSION_ID)
      return reply.code(202).send({ status: 'logged_out' as const })
    },
  )
}
