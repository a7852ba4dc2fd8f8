import { createHash } from 'node:crypto'
import formbody from '@fastify/formbody'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { Type } from 'typebox'
import { ProblemRef } from '../../api/schemas/problem.schema.js'
import { NotFoundError } from '../../platform/errors.js'
import { linkSigningSecret, verifyUnsubscribeToken } from '../../platform/link-signing.js'
import type { ConnectorContext } from '../sdk/connector.js'
import { UNSUBSCRIBE_PATH } from './unsubscribe-links.js'
import { confirmPage, donePage, invalidLinkPage, maskEmail, unknownPersonPage } from './unsubscribe-page.js'

const Html = Type.String({ description: 'An HTML page (text/html; charset=utf-8).' })
const htmlResponse = (description: string) => ({ description, content: { 'text/html': { schema: Html } } })
const problemOrPage = (description: string) => ({
  description,
  content: { 'text/html': { schema: Html }, 'application/problem+json': { schema: ProblemRef } },
})
const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 1024 }) })

// Pages for people, not API: left out of the API description (as the /docs UI is), since
// they answer in HTML, errors included, where every API error is problem+json.
const schemaOf = (summary: string, description: string) => ({
  hide: true,
  tags: ['connectors'],
  summary,
  description,
  params: TokenParams,
  response: {
    200: htmlResponse('The page.'),
    '4xx': problemOrPage('400: the link is invalid or was altered; 404: the person is no longer known.'),
    '5xx': { description: 'Server error.', content: { 'application/problem+json': { schema: ProblemRef } } },
  },
})

function sendPage(reply: FastifyReply, status: number, html: string) {
  return (
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      // The token in the URL is a credential: not cached, not passed on as a referrer, not indexed.
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .header('x-robots-tag', 'noindex')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
      .send(html)
  )
}

/**
 * The unsubscribe link of every marketing email. Public: the signed token is the credential
 * and names the lead. GET only shows a question (link scanners and previews fetch links);
 * POST records the withdrawal. The same POST twice is one consent change: the token's hash
 * is the delivery key.
 */
export async function unsubscribeRoutes(app: FastifyInstance, ctx: ConnectorContext): Promise<void> {
  await app.register(formbody)
  // RFC 8058 allows the one-click POST as multipart/form-data too. Its content is fixed
  // ("List-Unsubscribe=One-Click") and the token in the URL says everything: not read.
  app.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: 16_384 }, (_r, _b, done) =>
    done(null, {}),
  )
  const verify = (token: string) => verifyUnsubscribeToken(linkSigningSecret(ctx.config), token)

  app.get(
    `${UNSUBSCRIBE_PATH}/:token`,
    { schema: schemaOf('Unsubscribe page', 'Asks to confirm the unsubscribe; changes nothing.') },
    async (request, reply) => {
      const { token } = request.params as { token: string }
      const payload = verify(token)
      if (!payload) return sendPage(reply, 400, invalidLinkPage())
      const lead = await ctx.db.lead.findUnique({ where: { id: payload.leadId }, select: { email: true } })
      if (!lead) return sendPage(reply, 404, unknownPersonPage())
      return sendPage(reply, 200, confirmPage(maskEmail(lead.email)))
    },
  )

  app.post(
    `${UNSUBSCRIBE_PATH}/:token`,
    {
      schema: schemaOf(
        'Unsubscribe (RFC 8058 one-click)',
        'Withdraws marketing consent for the lead the signed token names; a repeated POST changes nothing more.',
      ),
    },
    async (request, reply) => {
      const { token } = request.params as { token: string }
      const payload = verify(token)
      if (!payload) return sendPage(reply, 400, invalidLinkPage())
      try {
        const result = await ctx.intake.consent(
          payload.leadId,
          {
            status: 'withdrawn',
            channels: ['email'],
            source: 'email:unsubscribe-link',
            reason: 'unsubscribe link',
          },
          {
            key: `unsub:${createHash('sha256').update(token).digest('hex')}`,
            raw: { messageId: payload.messageId ?? null },
            requestId: request.id,
          },
        )
        const lead = await ctx.db.lead.findUnique({ where: { id: result.leadId }, select: { email: true } })
        await ctx.status.touched()
        return sendPage(reply, 200, donePage(maskEmail(lead?.email ?? null)))
      } catch (err) {
        if (err instanceof NotFoundError) return sendPage(reply, 404, unknownPersonPage())
        throw err
      }
    },
  )
}
