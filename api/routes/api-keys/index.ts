import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { createKey, revokeKey, rotateKey, toApiKey } from '../../../security/api-keys.js'
import { actingOf, principalOf } from '../../plugins/auth.plugin.js'
import {
  ApiKey,
  ApiKeyPage,
  ApiKeyParams,
  CreateApiKeyBody,
  CreatedApiKey,
  ListApiKeysQuery,
  RotateApiKeyBody,
  RotatedApiKey,
} from '../../schemas/api-key.schema.js'
import { problemResponses } from '../../schemas/problem.schema.js'
import { listApiKeys } from './list-keys.js'

/*
 * API keys for integrations. Everyone may make, list, revoke and rotate their own keys;
 * the api_key permission (an admin's) reaches everyone's. A key is shown once, when it is
 * made or rotated; it never allows more than its user's role, nor more than its maker.
 */
const apiKeys: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.services
  const acting = actingOf

  app.post(
    '',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['api-keys'],
        summary: 'Create an API key',
        description:
          'For the caller, or (with api_key:create) for another active user. Scopes narrow the key within its ' +
          'user’s role: a scope the role does not allow is a 422, and a key that would allow more than the caller ' +
          'may do is a 403. The key is in this response only: store it now.',
        body: CreateApiKeyBody,
        response: { 201: CreatedApiKey, ...problemResponses },
      },
    },
    async (request, reply) => {
      const a = acting(request)
      const { key, row } = await createKey(a, request.body)
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ ...toApiKey(row, a.now), key })
    },
  )

  app.get(
    '',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['api-keys'],
        summary: 'List API keys',
        description:
          'Your own keys, or everyone’s with api_key:read; newest first, paged with `cursor`. Never the key itself.',
        querystring: ListApiKeysQuery,
        response: { 200: ApiKeyPage, ...problemResponses },
      },
    },
    async (request) => listApiKeys(db, principalOf(request), request.query, new Date()),
  )

  app.post(
    '/:id/revoke',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['api-keys'],
        summary: 'Revoke an API key',
        description: 'It stops working at once (401). 409 when it is revoked already.',
        params: ApiKeyParams,
        response: { 200: ApiKey, ...problemResponses },
      },
    },
    async (request) => {
      const a = acting(request)
      return toApiKey(await revokeKey(a, request.params.id), a.now)
    },
  )

  app.post(
    '/:id/rotate',
    {
      config: { access: 'authenticated' },
      // The body is optional: none means the defaults.
      preValidation: async (request) => {
        request.body ??= {} as typeof request.body
      },
      schema: {
        tags: ['api-keys'],
        summary: 'Rotate an API key',
        description:
          'A new key with the same name, user and scopes (shown once); the old one keeps working for graceHours ' +
          '(24 by default, at most 720), so an integration can switch without downtime. 409 for a revoked or ' +
          'expired key.',
        params: ApiKeyParams,
        body: RotateApiKeyBody,
        response: { 201: RotatedApiKey, ...problemResponses },
      },
    },
    async (request, reply) => {
      const a = acting(request)
      const { key, row, old } = await rotateKey(a, request.params.id, request.body)
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ ...toApiKey(row, a.now), key, replaced: toApiKey(old, a.now) })
    },
  )
}

export default apiKeys
