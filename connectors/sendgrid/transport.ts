import { Client } from '@sendgrid/client'
import { MailService, type MailDataRequired } from '@sendgrid/mail'
import { classifySendGridError, EmailSendError } from './errors.js'

/*
 * The outbound email transport for nurture journeys: the only file that imports SendGrid's SDK.
 * The library shapes the v3 Mail Send request (personalizations, content order, snake_case
 * custom_args); we only map our message onto it and translate its failures.
 */

export interface EmailAddress {
  email: string
  name?: string
}

export interface EmailMessage {
  to: EmailAddress
  from: EmailAddress
  replyTo?: EmailAddress
  subject: string
  text: string
  html?: string
  /** Echoed back by SendGrid's Event Webhook: we put our send key and lead id here. */
  customArgs: Record<string, string>
  categories?: string[]
  /** Extra email headers, e.g. List-Unsubscribe. */
  headers?: Record<string, string>
  /** A SendGrid dynamic template ("d-…"): SendGrid renders subject and body from it. */
  templateId?: string
  dynamicTemplateData?: Record<string, unknown>
}

export interface EmailSendResult {
  providerMessageId: string | null
}

export interface EmailTransport {
  readonly provider: 'sendgrid' | 'log'
  /** Throws EmailSendError only. */
  send(message: EmailMessage): Promise<EmailSendResult>
}

const DEFAULT_BASE_URL = 'https://api.sendgrid.com'
const DEFAULT_TIMEOUT_MS = 10_000

/*
 * MailService#send also passes the email headers as the HTTP headers of the API request
 * (mail-service.js: `headers: mail.headers`), and the client lets them win over its own: an
 * email header named Authorization would replace our API key. We refuse those names.
 */
const HTTP_HEADERS_OF_THE_API_CALL = new Set([
  'authorization',
  'content-type',
  'content-length',
  'accept',
  'user-agent',
  'host',
  'on-behalf-of',
])

export function createSendGridTransport(options: {
  apiKey: string
  baseUrl?: string
  timeoutMs?: number
}): EmailTransport {
  if (options.apiKey.trim() === '') throw new Error('SendGrid API key is empty')
  // A client of our own, not the module singleton, so two transports never share key or URL.
  const client = new Client()
  // setApiKey resets baseUrl to the region host: the base URL must be set after it.
  client.setApiKey(options.apiKey)
  client.setDefaultRequest('baseUrl', options.baseUrl ?? DEFAULT_BASE_URL)
  const mail = new MailService()
  mail.setClient(client)
  // Becomes axios's `timeout` (client.setDefaultRequest('timeout', ms)). Without it axios waits
  // forever; it covers connecting and waiting for the answer, and fires as ECONNABORTED.
  mail.setTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS)

  return {
    provider: 'sendgrid',
    async send(message) {
      const clash = Object.keys(message.headers ?? {}).find((h) =>
        HTTP_HEADERS_OF_THE_API_CALL.has(h.toLowerCase()),
      )
      if (clash !== undefined) {
        throw new EmailSendError(
          'rejected',
          `Email header ${clash} is not allowed: it would override the API request`,
          {},
        )
      }
      const common = {
        to: message.to,
        from: message.from,
        customArgs: message.customArgs,
        ...(message.replyTo ? { replyTo: message.replyTo } : {}),
        ...(message.html !== undefined ? { html: message.html } : {}),
        ...(message.categories?.length ? { categories: message.categories } : {}),
        ...(message.headers ? { headers: message.headers } : {}),
      }
      // With a dynamic template SendGrid takes subject and body from the template: empty ones
      // are left out (the API refuses an empty content value).
      const data: MailDataRequired = message.templateId
        ? {
            ...common,
            templateId: message.templateId,
            dynamicTemplateData: message.dynamicTemplateData ?? {},
            ...(message.subject !== '' ? { subject: message.subject } : {}),
            ...(message.text !== '' ? { text: message.text } : {}),
          }
        : { ...common, subject: message.subject, text: message.text }
      try {
        const [response] = await mail.send(data)
        return { providerMessageId: messageIdOf(response.headers) }
      } catch (err) {
        throw classifySendGridError(err)
      }
    },
  }
}

/** X-Message-Id of a 202: what the Event Webhook reports as `sg_message_id` (plus a suffix). */
function messageIdOf(headers: unknown): string | null {
  if (typeof headers !== 'object' || headers === null) return null
  // axios lower-cases response header names.
  const value = (headers as Record<string, unknown>)['x-message-id']
  return typeof value === 'string' && value !== '' ? value : null
}

/**
 * For development and tests without SendGrid: nothing leaves the process. It logs the subject
 * and the recipient's domain only; the address and the body are personal data.
 */
export function createLogTransport(log: { info(obj: object, msg: string): void }): EmailTransport {
  return {
    provider: 'log',
    async send(message) {
      log.info(
        { recipientDomain: domainOf(message.to.email), subject: message.subject },
        'email not sent: log transport',
      )
      return { providerMessageId: null }
    },
  }
}

function domainOf(address: string): string {
  const at = address.lastIndexOf('@')
  return at === -1 ? '(no domain)' : address.slice(at + 1).toLowerCase()
}
