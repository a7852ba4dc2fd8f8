import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Payload } from '@temporalio/common'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { keyIdOf, isEncrypted } from '../../../platform/temporal/payload-codec.js'
import { recordOfSubject } from '../../../platform/temporal/payload-keys.js'
import type { Principal } from '../../../security/principal.js'
import { visibleIds } from '../../../security/visibility.js'
import { principalOf } from '../../plugins/auth.plugin.js'
import { problemResponses } from '../../schemas/problem.schema.js'

/*
 * The remote codec the Temporal UI (and `temporal workflow show --codec-endpoint`) calls to
 * show payloads in clear: POST <endpoint>/decode with {payloads} in proto JSON. Decoding is
 * reading personal data, so it is a `journey:read` route and each payload is decoded only
 * when the caller may read the record its key belongs to (a lead they see, an account they
 * see); the rest come back still encrypted, as do erased people's. The UI calls it from its
 * own origin with the console's session cookie ("include cross-origin credentials"), so the
 * origins in TEMPORAL_CODEC_ORIGINS get CORS headers.
 */

const JsonPayload = Type.Object(
  {
    metadata: Type.Optional(Type.Record(Type.String(), Type.String({ description: 'base64' }))),
    data: Type.Optional(Type.String({ description: 'base64' })),
  },
  { additionalProperties: true },
)
const Payloads = Type.Object(
  { payloads: Type.Array(JsonPayload, { maxItems: 1000 }) },
  { title: 'CodecPayloads' },
)
type JsonPayloadT = { metadata?: Record<string, string>; data?: string }

const fromJson = (p: JsonPayloadT): Payload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
  ),
  data: Buffer.from(p.data ?? '', 'base64'),
})

const toJson = (p: Payload): JsonPayloadT => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? []).toString('base64'),
})

/** Which subjects' payloads this caller may see in clear. */
async function readableSubjects(
  request: FastifyRequest,
  principal: Principal,
  subjects: readonly string[],
): Promise<Set<string>> {
  const { db } = request.server.services
  const allowed = new Set<string>()
  const ids = { lead: [] as string[], account: [] as string[] }
  for (const subject of subjects) {
    const record = recordOfSubject(subject)
    if (record?.kind === 'lead' || record?.kind === 'account') ids[record.kind].push(record.id)
    // Post-sales workflows (invoice/, ticket/, contract/) carry ids only; still, only those
    // who may read the audit trail see them decoded.
    else if (principal.can('audit', 'read')) allowed.add(subject)
  }
  for (const kind of ['lead', 'account'] as const) {
    const uuids = ids[kind].filter((id) => /^[0-9a-f-]{36}$/i.test(id))
    for (const id of await visibleIds(db, principal, kind, uuids)) allowed.add(`${kind}:${id}`)
  }
  return allowed
}

function allowCrossOrigin(request: FastifyRequest, reply: FastifyReply): void {
  const origin = request.headers.origin
  const allowed = request.server.services.config.TEMPORAL_CODEC_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean)
  if (typeof origin !== 'string' || !allowed.includes(origin)) return
  reply.header('access-control-allow-origin', origin)
  reply.header('access-control-allow-credentials', 'true')
  reply.header('vary', 'Origin')
}

const temporalCodec: FastifyPluginAsyncTypebox = async (app) => {
  app.options('/decode', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    allowCrossOrigin(request, reply)
    reply.header('access-control-allow-methods', 'POST')
    reply.header('access-control-allow-headers', 'content-type, x-namespace, authorization')
    reply.header('access-control-max-age', '600')
    return reply.code(204).send()
  })

  app.post(
    '/decode',
    {
      config: { access: { object: 'journey', action: 'read' }, changesNothing: true },
      schema: {
        tags: ['journey'],
        summary: 'Decode Temporal payloads for the Temporal UI (remote codec)',
        description:
          'Journey payloads are encrypted with a key per person (payload_key). This decodes the ones whose record ' +
          '(lead or account) the caller may read and returns the others unchanged, still encrypted; so do payloads ' +
          "of erased people, whose keys are destroyed. Point the Temporal UI's codec endpoint at `<PUBLIC_BASE_URL>/codec` " +
          'with cross-origin credentials, and list its origin in TEMPORAL_CODEC_ORIGINS.',
        body: Payloads,
        response: { 200: Payloads, ...problemResponses },
      },
    },
    async (request, reply) => {
      allowCrossOrigin(request, reply)
      const principal = principalOf(request)
      const { payloadCodec, payloadKeys } = app.services
      const payloads = request.body.payloads.map((p) => fromJson(p as JsonPayloadT))
      const subjectOf = new Map<Payload, string>()
      for (const p of payloads) {
        const keyId = isEncrypted(p) ? keyIdOf(p) : undefined
        const key = keyId ? await payloadKeys.byId(keyId) : null
        if (key) subjectOf.set(p, key.subject)
      }
      const readable = await readableSubjects(request, principal, [...new Set(subjectOf.values())])
      let decoded = 0
      const out = await Promise.all(
        payloads.map(async (p) => {
          const subject = subjectOf.get(p)
          if (!subject || !readable.has(subject)) return p
          const clear = await payloadCodec.tryDecode(p).catch(() => null)
          if (clear) decoded++
          return clear ?? p
        }),
      )
      request.log.info(
        { decoded, kept: payloads.length - decoded, actor: principal.actorId },
        'codec decode for the Temporal UI',
      )
      return { payloads: out.map(toJson) }
    },
  )
}

export default temporalCodec
