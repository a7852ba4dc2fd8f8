import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { getRole, listRoles, putRole, resetRole } from '../../../security/role-settings.js'
import { actingOf } from '../../plugins/auth.plugin.js'
import { problemResponses } from '../../schemas/problem.schema.js'
import { Role, RoleList, RoleParams, RoleRulesBody } from '../../schemas/role.schema.js'

/*
 * Roles: the built-in ones (as defined, or as an admin changed them) and custom ones. A
 * change takes effect on the next request and is audited as a permission_change with the
 * rules before and after.
 */
const roles: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.services
  const acting = actingOf

  app.get(
    '',
    {
      config: { access: { object: 'role', action: 'read' } },
      schema: {
        tags: ['roles'],
        summary: 'List roles',
        description:
          'Every built-in role (builtIn), then custom roles; customised marks a changed built-in role.',
        response: { 200: RoleList, ...problemResponses },
      },
    },
    async () => ({ items: await listRoles(db) }),
  )

  app.get(
    '/:name',
    {
      config: { access: { object: 'role', action: 'read' } },
      schema: {
        tags: ['roles'],
        summary: 'Get a role',
        params: RoleParams,
        response: { 200: Role, ...problemResponses },
      },
    },
    async (request) => getRole(db, request.params.name),
  )

  app.put(
    '/:name',
    {
      config: { access: { object: 'role', action: 'update' } },
      schema: {
        tags: ['roles'],
        summary: "Set a role's permissions, row scopes and field rules",
        description:
          'Replaces the rules of a built-in role, or defines a custom role under a new name. Unknown objects, ' +
          'actions, scopes or fields are a 422 pointing at them. The admin role must keep role:update and ' +
          'user:update (422: no lock-out), and nobody grants a role more than they hold (403). Audited as ' +
          'permission_change with before and after.',
        params: RoleParams,
        body: RoleRulesBody,
        response: { 200: Role, ...problemResponses },
      },
    },
    async (request) => putRole(acting(request), request.params.name, request.body),
  )

  app.delete(
    '/:name/settings',
    {
      config: { access: { object: 'role', action: 'update' } },
      schema: {
        tags: ['roles'],
        summary: 'Reset a role to its definition',
        description:
          'A built-in role goes back to its built-in rules (answered with them); a custom role is removed (204), ' +
          'refused with 409 while anyone holds it. 404 when the role has no settings. Audited.',
        params: RoleParams,
        response: {
          200: Role,
          204: Type.Null({ description: 'The custom role was removed.' }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const role = await resetRole(acting(request), request.params.name)
      return role ? role : reply.code(204).send(null)
    },
  )
}

export default roles
