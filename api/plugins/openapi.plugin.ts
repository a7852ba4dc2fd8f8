import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/** The OpenAPI document, generated from the route schemas, at /openapi.json and a docs page at /docs. */
export default fp(
  async function openapi(app: FastifyInstance) {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Leadwire API',
          version: '0.1.0',
          description:
            'Capture leads from every channel through one governed ingestion path; each lead gets a durable journey. ' +
            'Errors are application/problem+json (RFC 9457) with field pointers.',
        },
        tags: [
          { name: 'leads', description: 'Capture and read leads' },
          { name: 'journey', description: "A lead's journey: stage, qualification, conversion, consent" },
          { name: 'tasks', description: 'SDR tasks' },
          {
            name: 'accounts',
            description: 'Customer organisations: GSTIN, owner, lifecycle, health, history',
          },
          { name: 'contacts', description: 'People at accounts: roles, primary contact, consent' },
          { name: 'opportunities', description: 'Deals: pipeline stages, forecast category, won/lost' },
          { name: 'activities', description: 'Calls, emails, meetings, notes, WhatsApp; statistics' },
          { name: 'timeline', description: 'One timeline per lead, account, contact, opportunity and task' },
          { name: 'orders', description: 'Sales orders from won opportunities' },
          { name: 'invoices', description: 'GST invoices, their PDF, payments and collection' },
          { name: 'tickets', description: 'Support tickets with SLA timers and escalation' },
          { name: 'contracts', description: 'Contracts and AMCs: renewals ahead of the end date' },
          { name: 'reports', description: 'Pipeline, funnel, attribution and SDR performance' },
          { name: 'rules', description: 'Scoring, assignment, journey and pipeline rule sets' },
          { name: 'connectors', description: 'Capture channels: health, webhooks, pairing' },
          { name: 'forms', description: 'Hosted web forms and their embed snippets' },
          { name: 'partners', description: 'Partners, their API keys, and the leads they send' },
          { name: 'imports', description: 'Bulk CSV/XLSX imports: upload, preview, run, error report' },
          { name: 'auth', description: 'Console login, sessions, who am I, password change' },
          { name: 'users', description: 'People, their roles and reporting lines' },
          { name: 'api-keys', description: 'Keys for integrations: scoped, hashed, revocable, rotatable' },
          {
            name: 'roles',
            description: 'Permissions per object and action, row scopes and field rules per role',
          },
          { name: 'shares', description: 'Records shared with a person beyond their role and team' },
          { name: 'audit', description: 'The audit trail: who changed what, when, in which request' },
          { name: 'privacy', description: "A person's data: export, erasure, consent history" },
          {
            name: 'exports',
            description: 'Lead and account exports (CSV or JSON) within row and field rules',
          },
          { name: 'operations', description: 'Liveness, readiness and the API description' },
        ],
        components: {
          securitySchemes: {
            apiKey: {
              type: 'http',
              scheme: 'bearer',
              description: 'An API key (lwk_…) or a session token (lws_…) from POST /v1/auth/login.',
            },
            session: { type: 'apiKey', in: 'cookie', name: 'lw_session' },
          },
        },
        security: [{ apiKey: [] }, { session: [] }],
      },
      refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json['$id'] ?? `def-${i}`) },
    })
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      uiConfig: { docExpansion: 'list', deepLinking: true },
    })
    app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
      app.swagger(),
    )
  },
  { name: 'openapi' },
)
