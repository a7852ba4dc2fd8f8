import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { writeContext } from '../../api/actor.js'
import { fieldChanges, recordAudit } from '../../platform/audit.js'
import { textContains } from '../../api/queries/filters.js'
import { afterCursor, toPage } from '../../api/queries/keyset.js'
import { problemResponses } from '../../api/schemas/problem.schema.js'
import {
  CreateFormBody,
  FormDetail,
  FormEmbed,
  FormList,
  FormParams,
  ListFormsQuery,
  PatchFormBody,
} from '../../api/schemas/web-form.schema.js'
import type { WebForm } from '../../generated/prisma/client.js'
import { ConflictError, DomainRuleError, NotFoundError } from '../../platform/errors.js'
import type { ConnectorContext } from '../sdk/connector.js'
import { embedSnippet, scriptTag } from './embed.js'
import { formDefinitionProblems, wordingVersion, type FormShape } from './form-definition.js'
import { toDefinition } from './form-store.js'
import { publicBaseUrl } from '../sdk/public-url.js'
import { formUrls } from './urls.js'

const ADMIN = { tags: ['forms'] }

function refuseBadDefinition(form: FormShape): void {
  const problems = formDefinitionProblems(form)
  if (problems.length > 0) {
    throw new DomainRuleError(problems.map((p) => p.message).join(' '), problems)
  }
}

/**
 * The forms admin API: what a form asks, where it may be posted from, its consent wording,
 * and the snippet to paste. Every write is attributed to the caller and audited with it.
 */
export async function formAdminRoutes(scope: FastifyInstance, ctx: ConnectorContext): Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>()
  const { db } = ctx
  const baseUrl = publicBaseUrl(ctx.config)

  const detail = (row: WebForm): FormDetail => ({
    ...toDefinition(row),
    hostedUrl: formUrls(baseUrl, row.id).hostedUrl,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
    updatedAt: row.updatedAt.toISOString(),
    updatedBy: row.updatedBy,
  })
  const load = async (id: string) => {
    const row = await db.webForm.findUnique({ where: { id } })
    if (!row) throw new NotFoundError('form', id)
    return row
  }

  app.post(
    '/v1/forms',
    {
      schema: {
        ...ADMIN,
        summary: 'Create a web form',
        description:
          'Then paste its snippet (GET /v1/forms/{id}/embed) or link to its hosted page. The id must be new (409).',
        body: CreateFormBody,
        response: { 201: FormDetail, ...problemResponses },
      },
    },
    async (request, reply) => {
      const body = request.body
      const consentText = body.consentText ?? null
      const form = {
        id: body.id,
        name: body.name,
        fieldMapping: body.fieldMapping,
        allowedOrigins: body.allowedOrigins ?? [],
        consentText,
        consentTextVersion: body.consentTextVersion ?? (consentText ? wordingVersion(consentText) : null),
        consentChannels: body.consentChannels ?? [],
        redirectUrl: body.redirectUrl ?? null,
        successMessage: body.successMessage ?? null,
        honeypotField: body.honeypotField ?? 'website_url',
        rateLimitPerMinute: body.rateLimitPerMinute ?? 20,
        attribution: body.attribution ?? {},
      }
      refuseBadDefinition(form)
      // ON CONFLICT DO NOTHING: a taken id is a 409, raced or not.
      await db.$transaction(async (tx) => {
        const { count } = await tx.webForm.createMany({
          data: [{ ...form, createdBy: request.actor.id, updatedBy: request.actor.id }],
          skipDuplicates: true,
        })
        if (count === 0) throw new ConflictError(`A form with id ${form.id} already exists.`)
        await recordAudit(tx, writeContext(request), {
          entity: 'web_form',
          entityId: form.id,
          action: 'create',
          changes: fieldChanges(null, form),
        })
      })
      return reply
        .code(201)
        .header('location', `/v1/forms/${form.id}`)
        .send(detail(await load(form.id)))
    },
  )

  app.get(
    '/v1/forms',
    {
      schema: {
        ...ADMIN,
        summary: 'List web forms, oldest first',
        querystring: ListFormsQuery,
        response: { 200: FormList, ...problemResponses },
      },
    },
    async (request) => {
      const { limit, cursor, isActive, q } = request.query
      const rows = await db.webForm.findMany({
        where: {
          AND: [
            isActive === undefined ? {} : { isActive },
            textContains(q, ['id', 'name']),
            afterCursor(cursor, 'createdAt', 'asc', true) ?? {},
          ],
        },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: limit + 1,
      })
      return toPage(rows, limit, (f) => f.createdAt, detail)
    },
  )

  app.get(
    '/v1/forms/:id',
    {
      schema: {
        ...ADMIN,
        summary: 'Read a web form',
        params: FormParams,
        response: { 200: FormDetail, ...problemResponses },
      },
    },
    async (request) => detail(await load(request.params.id)),
  )

  app.patch(
    '/v1/forms/:id',
    {
      schema: {
        ...ADMIN,
        summary: 'Edit a web form',
        description:
          'A new consent wording without a new consentTextVersion gets a version derived from the wording, so ' +
          'consent given under the old wording keeps pointing at it. isActive=false takes the form offline (404).',
        params: FormParams,
        body: PatchFormBody,
        response: { 200: FormDetail, ...problemResponses },
      },
    },
    async (request) => {
      const current = toDefinition(await load(request.params.id))
      const patch = { ...request.body }
      const newWording = patch.consentText !== undefined && patch.consentText !== current.consentText
      if (newWording && patch.consentTextVersion === undefined) {
        patch.consentTextVersion = patch.consentText ? wordingVersion(patch.consentText) : null
      }
      refuseBadDefinition({ ...current, ...patch })
      await db.$transaction(async (tx) => {
        const { count } = await tx.webForm.updateMany({
          where: { id: current.id },
          data: { ...patch, updatedBy: request.actor.id },
        })
        if (count === 0) throw new NotFoundError('form', current.id)
        await recordAudit(tx, writeContext(request), {
          entity: 'web_form',
          entityId: current.id,
          action: 'update',
          changes: fieldChanges(current as unknown as Record<string, unknown>, patch),
        })
      })
      return detail(await load(current.id))
    },
  )

  app.get(
    '/v1/forms/:id/embed',
    {
      schema: {
        ...ADMIN,
        summary: "The form's embed snippet",
        description:
          'Plain HTML that posts to /f/{id} without JavaScript; its script fills the campaign fields and sends the ' +
          'form with fetch. The page that embeds it must be listed in allowedOrigins.',
        params: FormParams,
        response: { 200: FormEmbed, ...problemResponses },
      },
    },
    async (request) => {
      const form = toDefinition(await load(request.params.id))
      const urls = formUrls(baseUrl, form.id)
      return {
        html: embedSnippet(form, urls),
        script: scriptTag(urls),
        scriptUrl: urls.scriptUrl,
        hostedUrl: urls.hostedUrl,
      }
    },
  )
}
