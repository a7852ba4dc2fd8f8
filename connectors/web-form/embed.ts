import {
  CONSENT_VERSION_FIELD,
  consentFieldName,
  DEFAULT_SUCCESS_MESSAGE,
  FORM_CAPTURE_FIELDS,
  LANDING_PAGE_FIELD,
  REFERRER_FIELD,
  SUBMISSION_ID_FIELD,
  UTM_FIELDS,
  type FormCaptureField,
  type WebFormDefinition,
} from './form-fields.js'
import type { FormUrls } from './urls.js'
import { escapeHtml } from '../../platform/html.js'

/*
 * The HTML a form is made of: the snippet a site pastes, the hosted page around it, and the
 * thank-you page a browser without JavaScript sees after posting. Plain strings, every stored
 * value escaped: names, wording and messages are typed in by admins and shown on other
 * people's sites.
 */

interface FieldLook {
  label: string
  type?: 'email' | 'tel'
  /** https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#autofill */
  autocomplete?: string
  multiline?: boolean
}

const LOOKS: Record<Exclude<FormCaptureField, 'consent'>, FieldLook> = {
  fullName: { label: 'Name', autocomplete: 'name' },
  firstName: { label: 'First name', autocomplete: 'given-name' },
  lastName: { label: 'Last name', autocomplete: 'family-name' },
  email: { label: 'Email', type: 'email', autocomplete: 'email' },
  phone: { label: 'Phone', type: 'tel', autocomplete: 'tel' },
  company: { label: 'Company', autocomplete: 'organization' },
  title: { label: 'Job title', autocomplete: 'organization-title' },
  // Not type=url: browsers refuse "example.com" there, and that is what people type.
  website: { label: 'Website', autocomplete: 'url' },
  industry: { label: 'Industry' },
  companySize: { label: 'Company size' },
  country: { label: 'Country', autocomplete: 'country-name' },
  state: { label: 'State / region', autocomplete: 'address-level1' },
  city: { label: 'City', autocomplete: 'address-level2' },
  budget: { label: 'Budget' },
  authority: { label: 'Your role in the decision' },
  need: { label: 'What do you need?', multiline: true },
  timeline: { label: 'Timeline' },
}

const HIDDEN_FIELDS = [
  ...Object.keys(UTM_FIELDS),
  REFERRER_FIELD,
  LANDING_PAGE_FIELD,
  SUBMISSION_ID_FIELD,
] as const

function inputFor(form: WebFormDefinition, name: string, to: Exclude<FormCaptureField, 'consent'>): string {
  const look = LOOKS[to]
  const id = escapeHtml(`lw-${form.id}-${name}`)
  const mapped = Object.values(form.fieldMapping)
  // The pipeline needs an email or a phone; when the form asks for only one, it is required.
  const required =
    (to === 'email' && !mapped.includes('phone')) || (to === 'phone' && !mapped.includes('email'))
  const attrs = [
    `id="${id}"`,
    `name="${escapeHtml(name)}"`,
    ...(look.autocomplete ? [`autocomplete="${look.autocomplete}"`] : []),
    ...(required ? ['required'] : []),
  ].join(' ')
  const control = look.multiline
    ? `<textarea ${attrs} rows="4"></textarea>`
    : `<input type="${look.type ?? 'text'}" ${attrs}>`
  return `  <p><label for="${id}">${escapeHtml(look.label)}</label><br>${control}</p>`
}

/** The form markup: mapped fields, the consent checkbox, the honeypot and the hidden campaign fields. */
export function formHtml(form: WebFormDefinition, urls: FormUrls): string {
  const order = (to: FormCaptureField) => FORM_CAPTURE_FIELDS.indexOf(to)
  const fields = Object.entries(form.fieldMapping)
    .filter((entry): entry is [string, Exclude<FormCaptureField, 'consent'>] => entry[1] !== 'consent')
    .sort(([, a], [, b]) => order(a) - order(b))
    .map(([name, to]) => inputFor(form, name, to))
  const consentField = consentFieldName(form)
  const consent =
    consentField === null
      ? []
      : [
          `  <p class="leadwire-consent"><label><input type="checkbox" name="${escapeHtml(consentField)}" value="yes"> ` +
            `<span data-leadwire-consent-text>${escapeHtml(form.consentText ?? '')}</span></label></p>`,
          `  <input type="hidden" name="${CONSENT_VERSION_FIELD}" value="${escapeHtml(form.consentTextVersion ?? '')}">`,
        ]
  // Off-screen rather than display:none or type=hidden, which form-filling bots skip.
  const honeypot =
    '  <div aria-hidden="true" style="position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden">' +
    `<label>Leave this field empty <input type="text" name="${escapeHtml(form.honeypotField)}" tabindex="-1" autocomplete="off"></label></div>`
  const hidden = HIDDEN_FIELDS.map((name) => `  <input type="hidden" name="${name}" value="">`)
  return [
    `<form action="${escapeHtml(urls.action)}" method="post" accept-charset="utf-8" class="leadwire-form" data-leadwire-form="${escapeHtml(form.id)}">`,
    ...fields,
    ...consent,
    honeypot,
    ...hidden,
    '  <p><button type="submit">Send</button></p>',
    '  <p class="leadwire-message" data-leadwire-message role="status" aria-live="polite" hidden></p>',
    '</form>',
  ].join('\n')
}

export function scriptTag(urls: FormUrls): string {
  return `<script src="${escapeHtml(urls.scriptUrl)}" async></script>`
}

/** What a site pastes: the form (works without JavaScript) and the script that enhances it. */
export function embedSnippet(form: WebFormDefinition, urls: FormUrls): string {
  return `${formHtml(form, urls)}\n${scriptTag(urls)}`
}

function page(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5}' +
      'input,textarea{width:100%;box-sizing:border-box;padding:.4rem;font:inherit}' +
      '.leadwire-consent input{width:auto}button{padding:.5rem 1.25rem;font:inherit}</style>',
    '</head>',
    '<body>',
    body,
    '</body>',
    '</html>',
  ].join('\n')
}

/** GET /f/:formId: the form on a page of its own, for a link in an email or an ad. */
export function hostedPage(form: WebFormDefinition, urls: FormUrls): string {
  return page(form.name, `<h1>${escapeHtml(form.name)}</h1>\n${embedSnippet(form, urls)}`)
}

/** After a plain (no-JavaScript) post, when the form has no redirect URL. */
export function thankYouPage(form: WebFormDefinition): string {
  return page(form.name, `<p role="status">${escapeHtml(form.successMessage ?? DEFAULT_SUCCESS_MESSAGE)}</p>`)
}
