import { escapeHtml } from '../platform/html.js'
import type { UnsubscribeLink } from '../connectors/sendgrid/unsubscribe-links.js'

/*
 * The built-in nurture templates the default sequence names (and two SMS ones a policy may
 * name). Teams replace them by naming
 * their own templates in the journey policy: a SendGrid dynamic template id ("d-…") is
 * sent as such, with the same variables. Only first name, company and the owner's name are
 * filled in; nothing else about the person goes into a message.
 */

export interface TemplateVariables {
  firstName: string | null
  company: string | null
  senderName: string
}

export interface RenderedMessage {
  subject: string
  text: string
}

type Template = (v: TemplateVariables) => RenderedMessage

const hello = (v: TemplateVariables) => (v.firstName ? `Hi ${v.firstName},` : 'Hello,')
const yourTeam = (v: TemplateVariables) => (v.company ? `the team at ${v.company}` : 'your team')

const TEMPLATES: Record<string, Template> = {
  'nurture-welcome': (v) => ({
    subject: 'Thanks for your interest',
    text: `${hello(v)}\n\nThanks for getting in touch. Over the next two weeks I will share a few ideas that have helped teams like ${yourTeam(v)}.\n\n${v.senderName}`,
  }),
  'nurture-value': (v) => ({
    subject: 'Three things customers tell us they gained',
    text: `${hello(v)}\n\nFaster follow-up, one view of every lead, and no lead lost between tools. Happy to show how that would look for ${yourTeam(v)}.\n\n${v.senderName}`,
  }),
  'nurture-case-study': (v) => ({
    subject: 'How a team like yours did it',
    text: `${hello(v)}\n\nA short story from a customer in your space, and the numbers they saw in their first quarter. Reply if you would like the details.\n\n${v.senderName}`,
  }),
  'nurture-check-in': (v) => ({
    subject: 'Worth a 20-minute call?',
    text: `${hello(v)}\n\nWould a short call help? Reply with a time that suits you.\n\n${v.senderName}`,
  }),
  'nurture-breakup': (v) => ({
    subject: 'Should I close your file?',
    text: `${hello(v)}\n\nI have not heard back, so I will stop writing. If the timing changes, just reply to this email.\n\n${v.senderName}`,
  }),
  'wa-intro': (v) => ({
    subject: '',
    text: `${hello(v)} this is ${v.senderName}. Thanks for your interest! Reply here any time with questions.`,
  }),
  'wa-follow-up': (v) => ({
    subject: '',
    text: `${hello(v)} just checking in: would a quick call this week help ${yourTeam(v)}? Reply STOP to opt out.`,
  }),
  // Short enough for one 160-character segment with a typical name. In India the text must
  // match a DLT-registered template: teams register these (or name their own) with their sender.
  'sms-intro': (v) => ({
    subject: '',
    text: `${hello(v)} ${v.senderName} here, thanks for your interest. Reply to this SMS with any questions. Reply STOP to opt out.`,
  }),
  'sms-follow-up': (v) => ({
    subject: '',
    text: `${hello(v)} would a quick call this week help ${yourTeam(v)}? Reply with a good time. Reply STOP to opt out.`,
  }),
}

/** SendGrid dynamic template ids are sent as templates, not rendered here. */
export function isDynamicTemplate(template: string): boolean {
  return /^d-[0-9a-f]{32}$/i.test(template)
}

export function renderTemplate(template: string, vars: TemplateVariables): RenderedMessage | null {
  const t = TEMPLATES[template]
  return t ? t(vars) : null
}

/** An email's content as the transport takes it. */
export interface ComposedEmail {
  subject: string
  text: string
  html?: string
  headers?: Record<string, string>
  templateId?: string
  dynamicTemplateData?: Record<string, unknown>
}

/**
 * A journey email from a named template. With an unsubscribe link (every marketing email in
 * production) it gets a footer with the link, an HTML part, and the List-Unsubscribe headers;
 * a dynamic template receives the link as `unsubscribeUrl` and must place it itself.
 * Null for a name that is neither a built-in template nor a dynamic template id.
 */
export function composeEmail(
  template: string,
  vars: TemplateVariables,
  unsubscribe?: UnsubscribeLink,
): ComposedEmail | null {
  const headers = unsubscribe ? { headers: unsubscribe.headers } : {}
  if (isDynamicTemplate(template)) {
    // SendGrid takes subject and body from the template; content sent alongside would win over it.
    return {
      subject: '',
      text: '',
      templateId: template,
      dynamicTemplateData: { ...vars, ...(unsubscribe ? { unsubscribeUrl: unsubscribe.url } : {}) },
      ...headers,
    }
  }
  const rendered = renderTemplate(template, vars)
  if (!rendered) return null
  if (!unsubscribe) return rendered
  return {
    subject: rendered.subject,
    text: `${rendered.text}\n\n--\nTo stop these emails, unsubscribe here: ${unsubscribe.url}`,
    // The HTML part is also what lets SendGrid's open tracking (a pixel) see opens at all.
    html: htmlOf(rendered.text, unsubscribe.url),
    ...headers,
  }
}

function htmlOf(text: string, unsubscribeUrl: string): string {
  const paragraphs = text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n')
  // clicktracking="off": SendGrid would otherwise rewrite the link through its click tracker,
  // and report the unsubscribe as a click (https://www.twilio.com/docs/sendgrid/ui/account-and-settings/tracking).
  const footer =
    `<p style="font-size:12px;color:#666">To stop these emails, ` +
    `<a href="${escapeHtml(unsubscribeUrl)}" clicktracking="off">unsubscribe here</a>.</p>`
  return `<!doctype html>\n<html><body>\n${paragraphs}\n${footer}\n</body></html>`
}
