import type { Config } from '../../platform/config.js'
import { linkSigningSecret, signUnsubscribeToken } from '../../platform/link-signing.js'
import { publicBaseUrl } from '../sdk/public-url.js'

/** Where the unsubscribe pages are served (connectors/sendgrid/unsubscribe.routes.ts). */
export const UNSUBSCRIBE_PATH = '/u'

export interface UnsubscribeLink {
  /** The page a person opens from the email's footer (and the RFC 8058 one-click POST target). */
  url: string
  /** List-Unsubscribe and List-Unsubscribe-Post, for the mail client's own unsubscribe button. */
  headers: Record<string, string>
}

/** The start of every unsubscribe URL this hub sends. */
export function unsubscribeUrlPrefix(config: Pick<Config, 'PUBLIC_BASE_URL' | 'HOST' | 'PORT'>): string {
  return `${publicBaseUrl(config)}${UNSUBSCRIBE_PATH}/`
}

export type UnsubscribeLinks = (ref: { leadId: string; messageId?: string }) => UnsubscribeLink

/**
 * Builds a marketing email's unsubscribe link and headers. The URL carries a token signed
 * with the link-signing secret: the API that serves the page must use the same secret (same
 * LINK_SIGNING_SECRET, or the same DATA_DIR in development).
 *
 * One-click unsubscribe (RFC 8058, https://www.rfc-editor.org/rfc/rfc8058): the mail client
 * POSTs `List-Unsubscribe=One-Click` to the HTTPS URI, which Gmail and Yahoo require of bulk
 * senders. No `mailto:` URI is offered: nothing here reads an unsubscribe mailbox, and a
 * request sent there would be lost.
 */
export function createUnsubscribeLinks(
  config: Pick<Config, 'PUBLIC_BASE_URL' | 'HOST' | 'PORT' | 'LINK_SIGNING_SECRET' | 'DATA_DIR'>,
): UnsubscribeLinks {
  const base = unsubscribeUrlPrefix(config)
  return ({ leadId, messageId }) => {
    const secret = linkSigningSecret(config)
    const url =
      base + signUnsubscribeToken(secret, { leadId, channel: 'email', ...(messageId ? { messageId } : {}) })
    return {
      url,
      headers: {
        'List-Unsubscribe': `<${url}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    }
  }
}
