import type { Readable } from 'node:stream'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import {
  ImportErrorPage,
  ImportJob,
  ImportJobList,
  ImportParams,
  ImportPreview,
  ImportRunBody,
  ImportUploaded,
  ImportUploadQuery,
  ErrorPageQuery,
  JobPageQuery,
} from '../../api/schemas/import.schema.js'
import { principalOf } from '../../api/plugins/auth.plugin.js'
import { problemResponses } from '../../api/schemas/problem.schema.js'
import { RESTRICTABLE_FIELDS } from '../../domain/security/roles.rules.js'
import type { Principal } from '../../security/principal.js'
import type { ConnectorContext } from '../sdk/connector.js'
import type { CallerImportJobs, ImportJobs } from './import-job.js'
import { createImportService } from './services.js'
import { declaredFormat, UnsupportedMediaTypeError, UPLOAD_TYPES } from './upload.js'

const tags = ['imports']

const isStream = (body: unknown): body is Readable =>
  typeof body === 'object' && body !== null && typeof (body as Readable).pipe === 'function'

/**
 * Whether the caller sees everyone's imports, not only their own. An error report holds rows
 * as uploaded, rows that never became leads and columns no field rule covers, so seeing every
 * lead is not enough: the caller must also be able to import (lead:create) and see every lead
 * field. A read-only user, or a marketer whose role hides phone numbers, sees only their own.
 */
function seesEveryImport(principal: Principal): boolean {
  return (
    principal.rowScope('lead') === 'all' &&
    principal.can('lead', 'create') &&
    RESTRICTABLE_FIELDS.lead.every((field) => principal.fieldAccess('lead', field) !== 'hidden')
  )
}

/** The jobs as the request's caller sees them; uploads and the leads a run writes carry their name. */
function jobsOf(jobs: ImportJobs, request: FastifyRequest): CallerImportJobs {
  return jobs.as({ actor: { id: request.actor.id }, seesAll: seesEveryImport(principalOf(request)) })
}

/** /v1/imports: upload, preview, run and follow bulk imports. */
export async function importRoutes(scope: FastifyInstance, ctx: ConnectorContext): Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>()
  const jobs: ImportJobs = createImportService({
    db: ctx.db,
    config: ctx.config,
    log: ctx.log,
    clock: ctx.clock,
  })
  // Background runs stop after their batch and stay resumable (POST run again).
  app.addHook('onClose', async () => jobs.close())

  // The file is the body. It is handed over as a stream and written to disk as it arrives,
  // so its size is bounded by the disk (and MAX_IMPORT_BYTES), not by memory or bodyLimit.
  app.addContentTypeParser([...UPLOAD_TYPES], (_request, payload, done) => done(null, payload))

  app.post(
    '/v1/imports',
    {
      schema: {
        tags,
        summary: 'Upload a CSV or XLSX file to import',
        description:
          'The body is the file itself (`text/csv` or `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`). Answers with the detected columns, a suggested mapping and the first rows; nothing is imported yet.',
        querystring: ImportUploadQuery,
        response: { 201: ImportUploaded, ...problemResponses },
      },
    },
    async (request, reply) => {
      const format = declaredFormat(request.headers['content-type'])
      if (format === undefined || !isStream(request.body)) {
        throw new UnsupportedMediaTypeError(
          'Send the file as the body with Content-Type text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.',
        )
      }
      const fileName = request.query.fileName ?? `upload.${format ?? 'csv'}`
      const uploaded = await jobsOf(jobs, request).upload(request.body, { fileName, format })
      return reply.code(201).send(uploaded)
    },
  )

  app.post(
    '/v1/imports/:id/preview',
    {
      schema: {
        tags,
        summary: 'Dry run: what the import would do, without writing leads',
        description:
          'Runs every row through the pipeline’s checks and dedupe (within the file and against the database). Stores the counts on the job and the row errors in its error report.',
        params: ImportParams,
        body: ImportRunBody,
        response: { 200: ImportPreview, ...problemResponses },
      },
    },
    async (request) =>
      jobsOf(jobs, request).preview(request.params.id, { ...request.body, requestId: request.id }),
  )

  app.post(
    '/v1/imports/:id/run',
    {
      schema: {
        tags,
        summary: 'Run the import in the background',
        description:
          'Answers 202 at once; follow GET /v1/imports/{id}. A job that stopped (a restart, a failure) resumes after its last committed row when run again.',
        params: ImportParams,
        body: ImportRunBody,
        response: { 202: ImportJob, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(
          await jobsOf(jobs, request).start(request.params.id, { ...request.body, requestId: request.id }),
        ),
  )

  app.get(
    '/v1/imports/:id',
    {
      schema: {
        tags,
        summary: 'An import job: status, progress, counts, rows per second',
        params: ImportParams,
        response: { 200: ImportJob, ...problemResponses },
      },
    },
    async (request) => jobsOf(jobs, request).get(request.params.id),
  )

  app.get(
    '/v1/imports/:id/errors',
    {
      schema: {
        tags,
        summary: "An import's row error report, by row number",
        params: ImportParams,
        querystring: ErrorPageQuery,
        response: { 200: ImportErrorPage, ...problemResponses },
      },
    },
    async (request) =>
      jobsOf(jobs, request).errors(request.params.id, {
        cursor: request.query.cursor,
        limit: request.query.limit ?? 100,
      }),
  )

  app.get(
    '/v1/imports',
    {
      schema: {
        tags,
        summary: 'Import jobs, newest first',
        querystring: JobPageQuery,
        response: { 200: ImportJobList, ...problemResponses },
      },
    },
    async (request) =>
      jobsOf(jobs, request).list({ cursor: request.query.cursor, limit: request.query.limit ?? 100 }),
  )
}
