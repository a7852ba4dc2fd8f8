import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { createUser, setUserPassword, updateUser } from '../../../security/users.js'
import { actingOf } from '../../plugins/auth.plugin.js'
import { problemResponses } from '../../schemas/problem.schema.js'
import {
  CreateUserBody,
  ListUsersQuery,
  PatchUserBody,
  SetPasswordBody,
  User,
  UserPage,
  UserParams,
} from '../../schemas/user.schema.js'
import { getUser, listUsers, toUser } from './list-users.js'

/*
 * People: who can sign in, with which role, reporting to whom. There is no DELETE: a person
 * is deactivated (their sessions end and their keys are revoked) and keeps their history.
 * Nobody gives a role, or takes over an account, with more rights than their own (403).
 */
const users: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.services
  const acting = actingOf

  app.get(
    '',
    {
      config: { access: { object: 'user', action: 'read' } },
      schema: {
        tags: ['users'],
        summary: 'List users',
        description:
          "Filters combine with AND. Sorted by name, then id; pages continue with `cursor` = the previous page's `nextCursor`.",
        querystring: ListUsersQuery,
        response: { 200: UserPage, ...problemResponses },
      },
    },
    async (request) => listUsers(db, request.query),
  )

  app.get(
    '/:id',
    {
      config: { access: { object: 'user', action: 'read' } },
      schema: {
        tags: ['users'],
        summary: 'Get a user',
        params: UserParams,
        response: { 200: User, ...problemResponses },
      },
    },
    async (request) => getUser(db, request.params.id),
  )

  app.post(
    '',
    {
      config: { access: { object: 'user', action: 'create' } },
      schema: {
        tags: ['users'],
        summary: 'Create a user',
        description:
          'The role must be a built-in one or one defined under /v1/roles; the manager and team must exist. ' +
          'Without a password the person cannot sign in (an integration’s user, or one to be given a password ' +
          'later). Email is unique in any case: 409 otherwise.',
        body: CreateUserBody,
        response: { 201: User, ...problemResponses },
      },
    },
    async (request, reply) => {
      const row = await createUser(acting(request), request.body)
      return reply
        .code(201)
        .header('location', `/v1/users/${encodeURIComponent(row.id)}`)
        .send(toUser(row))
    },
  )

  app.patch(
    '/:id',
    {
      config: { access: { object: 'user', action: 'update' } },
      schema: {
        tags: ['users'],
        summary: 'Edit a user, change their role, or deactivate them',
        description:
          'Audited per field; a role change is recorded as role_change and a deactivation as deactivate. ' +
          'A manager who reports to this user (a loop) is a 422, so is deactivating yourself or the last active admin.',
        params: UserParams,
        body: PatchUserBody,
        response: { 200: User, ...problemResponses },
      },
    },
    async (request) => toUser(await updateUser(acting(request), request.params.id, request.body)),
  )

  app.post(
    '/:id/password',
    {
      config: { access: { object: 'user', action: 'update' } },
      schema: {
        tags: ['users'],
        summary: "Set a user's password",
        description:
          'For a new person or a forgotten password: at least 12 characters, not their email. Their sessions end. ' +
          'Audited without the password or its hash.',
        params: UserParams,
        body: SetPasswordBody,
        response: { 200: User, ...problemResponses },
      },
    },
    async (request) =>
      toUser(await setUserPassword(acting(request), request.params.id, request.body.password)),
  )
}

export default users
