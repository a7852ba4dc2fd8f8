import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

/** TODO(security issue): routes under this prefix. */
const routes: FastifyPluginAsyncTypebox = async () => {}

export default routes
