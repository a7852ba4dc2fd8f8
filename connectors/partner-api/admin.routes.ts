import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import type { Static } from 'typebox'
import { writeContext } from '../../api/actor.js'
import { fieldChanges, recordAudit } from '../../platform/audit.js'
import {
  CreateKeyBody,
  CreatePartnerBody,
  IssuedKey,
  PartnerDetail,
  PartnerKeyParams,
  PartnerKeySummary,
  ListPartnersQuery,
  PartnerList,
  PartnerParams,
  type PartnerSummary,
  PatchPartnerBody,
} from '../../api/schemas/partner.schema.js'
import { textContains } from '../../api/queries/filters.js'
import { afterCursor, toPage } from '../../api/queries/keyset.js'
import { problemResponses } from '../../api/schemas/problem.schema.js'
import type { Partner, PartnerKey } from '../../generated/prisma/client.js'
import { ConflictError, NotFoundError } from '../../platform/errors.js'
import type { ConnectorContext } from '../sdk/connector.js'
import { generatePartnerKey } from './keys.js'

const partnerFields = (p: Partner) => ({
  id: p.id,
  name: p.name,
  isActive: p.isActive,
  rateLimitPerMinute: p.rateLimitPerMinute,
  attributionSource: p.attributionSource ?? `partner:${p.id}`,
  createdAt: p.createdAt.toISOString(),
  createdBy: p.createdBy,
  updatedAt: p.updatedAt.toISOString(),
  updatedBy: p.updatedBy,
})

// Listed by id and dates only: the hash never leaves the database (the response schema
// would drop it too, but it is not even read into the answer).
const keySummary = (k: PartnerKey): Static<typeof PartnerKeySummary> => ({
  id: k.id,
  label: k.label,
  createdAt: k.createdAt.toISOString(),
  createdBy: k.createdBy,
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
  revokedBy: k.revokedBy,
})

const ADMIN = { tags: ['partners'] }

/**
 * The partners admin API: partners, their rate limits and attribution, and their keys.
 * Every write is attributed to the caller and audited with it (a key's secret never is).
 */
export async function partnerAdminRoutes(scope: FastifyInstance, ctx: ConnectorContext): Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>()
  const { db } = ctx

  const detail = async (id: string): Promise<Static<typeof PartnerDetail>> => {
    const partner = await db.partner.findUnique({
      where: { id },
      include: { keys: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } },
    })
    if (!partner) throw new NotFoundError('partner', id)
    return { ...partnerFields(partner), keys: partner.keys.map(keySummary) }
  }

  app.post(
    '/v1/partners',
    {
      schema: {
        ...ADMIN,
        summary: 'Register a partner',
        description:
          'Then issue it a key (POST /v1/partners/{id}/keys). The id and the name must be new (409).',
        body: CreatePartnerBody,
        response: { 201: PartnerDetail, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { id, name, rateLimitPerMinute, attributionSource } = request.body
      // ON CONFLICT DO NOTHING: a taken id or name is a 409, raced or not.
      const values = {
        id,
        name,
        ...(rateLimitPerMinute === undefined ? {} : { rateLimitPerMinute }),
        attributionSource: attributionSource ?? null,
      }
      await db.$transaction(async (tx) => {
        const { count } = await tx.partner.createMany({
          data: [{ ...values, createdBy: request.actor.id, updatedBy: request.actor.id }],
          skipDuplicates: true,
        })
        if (count === 0) throw new ConflictError(`A partner with id ${id} or name "${name}" already exists.`)
        await recordAudit(tx, writeContext(request), {
          entity: 'partner',
          entityId: id,
          action: 'create',
          changes: fieldChanges(null, values),
        })
      })
      return reply
        .code(201)
        .header('location', `/v1/partners/${id}`)
        .send(await detail(id))
    },
  )

  app.get(
    '/v1/partners',
    {
      schema: {
        ...ADMIN,
        summary: 'List partners, oldest first',
        querystring: ListPartnersQuery,
        response: { 200: PartnerList, ...problemResponses },
      },
    },
    async (request): Promise<Static<typeof PartnerList>> => {
      const { limit, cursor, isActive, q } = request.query
      const partners = await db.partner.findMany({
        where: {
          AND: [
            isActive === undefined ? {} : { isActive },
            textContains(q, ['id', 'name']),
            afterCursor(cursor, 'createdAt', 'asc', true) ?? {},
          ],
        },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: limit + 1,
        include: { _count: { select: { keys: { where: { revokedAt: null } } } } },
      })
      return toPage(
        partners,
        limit,
        (p) => p.createdAt,
        (p): Static<typeof PartnerSummary> => ({
          ...partnerFields(p),
          activeKeys: p._count.keys,
        }),
      )
    },
  )

  app.get(
    '/v1/partners/:id',
    {
      schema: {
        ...ADMIN,
        summary: 'Read a partner and its keys',
        description: 'Keys are listed by id, label and dates: never the key, never its hash.',
        params: PartnerParams,
        response: { 200: PartnerDetail, ...problemResponses },
      },
    },
    async (request) => detail(request.params.id),
  )

  app.patch(
    '/v1/partners/:id',
    {
      schema: {
        ...ADMIN,
        summary: 'Edit a partner',
        description: 'Deactivating a partner refuses its requests at once (403), whatever key they carry.',
        params: PartnerParams,
        body: PatchPartnerBody,
        response: { 200: PartnerDetail, ...problemResponses },
      },
    },
    async (request) => {
      const { id } = request.params
      const { name } = request.body
      if (name !== undefined) {
        const taken = await db.partner.findFirst({ where: { name, id: { not: id } }, select: { id: true } })
        if (taken) throw new ConflictError(`Partner ${taken.id} is already named "${name}".`)
      }
      await db.$transaction(async (tx) => {
        const before = await tx.partner.findUnique({ where: { id } })
        if (!before) throw new NotFoundError('partner', id)
        await tx.partner.update({ where: { id }, data: { ...request.body, updatedBy: request.actor.id } })
        await recordAudit(tx, writeContext(request), {
          entity: 'partner',
          entityId: id,
          action: 'update',
          changes: fieldChanges(before, request.body),
        })
      })
      return detail(id)
    },
  )

  app.post(
    '/v1/partners/:id/keys',
    {
      schema: {
        ...ADMIN,
        summary: 'Issue a partner key',
        description:
          'The answer is the only time the key is shown: only its sha256 is stored. A partner may hold several keys ' +
          '(to rotate: issue a new one, switch over, revoke the old one).',
        params: PartnerParams,
        body: CreateKeyBody,
        response: { 201: IssuedKey, ...problemResponses },
      },
      // The label is optional, so is the body: `curl -X POST .../keys` issues a key.
      preValidation: async (request) => {
        request.body ??= {}
      },
    },
    async (request, reply) => {
      const partner = await db.partner.findUnique({ where: { id: request.params.id }, select: { id: true } })
      if (!partner) throw new NotFoundError('partner', request.params.id)
      const issued = generatePartnerKey()
      const row = await db.$transaction(async (tx) => {
        const created = await tx.partnerKey.create({
          data: {
            id: issued.id,
            partnerId: partner.id,
            keyHash: issued.hash,
            label: request.body.label ?? null,
            createdAt: ctx.clock(),
            createdBy: request.actor.id,
          },
        })
        await recordAudit(tx, writeContext(request), {
          entity: 'partner_key',
          entityId: issued.id,
          action: 'create',
          changes: fieldChanges(null, { partnerId: partner.id, label: created.label }),
        })
        return created
      })
      return reply.code(201).send({
        id: row.id,
        key: issued.key,
        label: row.label,
        createdAt: row.createdAt.toISOString(),
      })
    },
  )

  app.post(
    '/v1/partners/:id/keys/:keyId/revoke',
    {
      schema: {
        ...ADMIN,
        summary: 'Revoke a partner key',
        description:
          'Requests with it are refused (403) from now on. Revoking twice keeps the first revocation.',
        params: PartnerKeyParams,
        response: { 200: PartnerKeySummary, ...problemResponses },
      },
    },
    async (request) => {
      const { id, keyId } = request.params
      await db.$transaction(async (tx) => {
        const revokedAt = ctx.clock()
        const { count } = await tx.partnerKey.updateMany({
          where: { id: keyId, partnerId: id, revokedAt: null },
          data: { revokedAt, revokedBy: request.actor.id },
        })
        if (count > 0)
          await recordAudit(tx, writeContext(request), {
            entity: 'partner_key',
            entityId: keyId,
            action: 'revoke',
            changes: { revokedAt: { from: null, to: revokedAt.toISOString() } },
          })
      })
      const key = await db.partnerKey.findFirst({ where: { id: keyId, partnerId: id } })
      if (!key) throw new NotFoundError('partner key', `${id}/${keyId}`)
      return keySummary(key)
    },
  )
}
