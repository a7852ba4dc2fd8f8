import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

// STUB: replaced by the CRM core work.
const routes: FastifyPluginAsyncTypebox = async () => {}

export default routes
