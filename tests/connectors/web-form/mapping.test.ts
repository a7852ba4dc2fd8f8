import { describe, expect, it } from 'vitest'
import { isAllowedOrigin } from '../../../connectors/web-form/cors.js'
import { submissionKey } from '../../../connectors/web-form/delivery-key.js'
import { embedScript } from '../../../connectors/web-form/embed-script.js'
import { embedSnippet } from '../../../connectors/web-form/embed.js'
import { escapeHtml } from '../../../platform/html.js'
import { formDefinitionProblems, wordingVersion } from '../../../connectors/web-form/form-definition.js'
import type { WebFormDefinition } from '../../../connectors/web-form/form-fields.js'
import {
  fieldText,
  formFieldPointer,
  isChecked,
  mapSubmission,
} from '../../../connectors/web-form/mapping.js'
import { publicBaseUrl } from '../../../connectors/sdk/public-url.js'
import { formUrls } from '../../../connectors/web-form/urls.js'

const AT = '2026-03-02T10:15:00.000Z'

const form = (overrides: Partial<WebFormDefinition> = {}): WebFormDefinition => ({
  id: 'pricing',
  name: 'Pricing enquiry',
  isActive: true,
  fieldMapping: { name: 'fullName', work_email: 'email', mobile: 'phone', org: 'company', agree: 'consent' },
  allowedOrigins: ['https://www.example.com'],
  consentText: 'I agree to be contacted about Leadwire.',
  consentTextVersion: 'v2',
  consentChannels: ['email', 'whatsapp'],
  redirectUrl: null,
  successMessage: null,
  honeypotField: 'website_url',
  rateLimitPerMinute: 20,
  attribution: { source: 'website', medium: 'form', campaign: 'evergreen' },
  ...overrides,
})

describe('mapSubmission', () => {
  it('maps form fields to capture fields, splitting a full name', () => {
    const { capture, honeypotFilled } = mapSubmission(
      form(),
      {
        name: '  Asha  Devi Rao ',
        work_email: 'asha@example.in',
        mobile: '98765 43210',
        org: 'Rao & Co',
        extra: 'x',
      },
      AT,
      'sub-1',
    )
    expect(honeypotFilled).toBe(false)
    expect(capture).toMatchObject({
      channel: 'web_form',
      receivedAt: AT,
      externalId: 'sub-1',
      firstName: 'Asha',
      lastName: 'Devi Rao',
      email: 'asha@example.in',
      phone: '98765 43210',
      company: 'Rao & Co',
    })
    expect(capture).not.toHaveProperty('extra')
    expect(capture.honeypot).toBeUndefined()
  })

  it('keeps explicit first and last names over the split of a full name', () => {
    const f = form({ fieldMapping: { name: 'fullName', last: 'lastName', email: 'email' } })
    const { capture } = mapSubmission(f, { name: 'Asha Rao', last: 'Rao-Menon', email: 'a@example.in' }, AT)
    expect(capture).toMatchObject({ firstName: 'Asha', lastName: 'Rao-Menon' })
  })

  it("reads only the submitted fields, never an object's inherited properties", () => {
    const fieldMapping = Object.fromEntries([
      ['email', 'email'],
      ['constructor', 'company'],
      ['toString', 'need'],
    ]) as WebFormDefinition['fieldMapping']
    const f = form({ fieldMapping })
    const { capture } = mapSubmission(f, { email: 'a@example.in' }, AT)
    expect(capture).not.toHaveProperty('company')
    expect(capture).not.toHaveProperty('need')
  })

  it('treats empty values as absent and joins a multi-select', () => {
    const f = form({ fieldMapping: { email: 'email', needs: 'need', company: 'company' } })
    const { capture } = mapSubmission(
      f,
      { email: 'a@example.in', needs: ['CRM', ' ', 'Forms'], company: '   ' },
      AT,
    )
    expect(capture.need).toBe('CRM, Forms')
    expect(capture).not.toHaveProperty('company')
  })

  it('records a checked consent box with the stored wording, version, channels and form source', () => {
    const { capture } = mapSubmission(form(), { work_email: 'a@example.in', agree: 'yes' }, AT)
    expect(capture.consent).toEqual({
      granted: true,
      at: AT,
      source: 'web_form:pricing',
      textVersion: 'v2',
      text: 'I agree to be contacted about Leadwire.',
      channels: ['email', 'whatsapp'],
    })
  })

  it('records an unchecked (absent) box as consent declined, not as missing evidence', () => {
    const { capture } = mapSubmission(form(), { work_email: 'a@example.in' }, AT)
    expect(capture.consent).toMatchObject({ granted: false, textVersion: 'v2' })
  })

  it('does not claim the current wording for a page that showed an older version', () => {
    const { capture } = mapSubmission(
      form(),
      { work_email: 'a@example.in', agree: 'on', consent_text_version: 'v1' },
      AT,
    )
    expect(capture.consent).toMatchObject({ granted: true, textVersion: 'v1' })
    expect(capture.consent?.text).toBeUndefined()
  })

  it('uses a checkbox named "consent" for a form with wording but no mapped checkbox', () => {
    const f = form({ fieldMapping: { email: 'email' } })
    expect(mapSubmission(f, { email: 'a@example.in', consent: 'on' }, AT).capture.consent?.granted).toBe(true)
    const none = form({ fieldMapping: { email: 'email' }, consentText: null, consentTextVersion: null })
    expect(mapSubmission(none, { email: 'a@example.in', consent: 'on' }, AT).capture.consent).toBeUndefined()
  })

  it('reads checkbox values browsers and JSON callers send', () => {
    for (const yes of [true, 'on', 'yes', 'TRUE', '1', ['on']]) expect(isChecked(yes)).toBe(true)
    for (const no of [false, '', 'no', 'off', '0', undefined, []]) expect(isChecked(no)).toBe(false)
  })

  it('passes a filled honeypot on for the pipeline to quarantine', () => {
    const { capture, honeypotFilled } = mapSubmission(
      form(),
      { work_email: 'bot@example.in', website_url: 'http://spam.example' },
      AT,
    )
    expect(honeypotFilled).toBe(true)
    expect(capture.honeypot).toBe('http://spam.example')
  })

  it('puts the submitted utm tags, referrer and landing page over the form defaults', () => {
    const { capture } = mapSubmission(
      form(),
      {
        work_email: 'a@example.in',
        utm_campaign: 'diwali',
        referrer: 'https://news.example.org/post',
        landing_page: 'https://www.example.com/pricing',
      },
      AT,
    )
    expect(capture.attribution).toEqual({
      source: 'website',
      medium: 'form',
      campaign: 'diwali',
      referrer: 'https://news.example.org/post',
      landingPage: 'https://www.example.com/pricing',
    })
  })

  it("keeps a submission's own source tags as a set, without the form's default medium or campaign", () => {
    const { capture } = mapSubmission(
      form(),
      { work_email: 'a@example.in', utm_source: 'newsletter', utm_medium: 'email' },
      AT,
    )
    expect(capture.attribution).toEqual({ source: 'newsletter', medium: 'email' })
  })

  it("reads the landing page's utm parameters when the hidden fields are empty (a page without the script)", () => {
    const { capture } = mapSubmission(
      form(),
      {
        work_email: 'a@example.in',
        utm_source: '',
        landing_page: 'https://www.example.com/?utm_source=google&utm_medium=cpc&utm_campaign=brand',
      },
      AT,
    )
    expect(capture.attribution).toMatchObject({ source: 'google', medium: 'cpc', campaign: 'brand' })
  })

  it('stamps the form defaults on a submission without any campaign data', () => {
    expect(mapSubmission(form(), { work_email: 'a@example.in' }, AT).capture.attribution).toEqual({
      source: 'website',
      medium: 'form',
      campaign: 'evergreen',
    })
  })
})

describe('formFieldPointer', () => {
  it("points pipeline errors at the form's own field names", () => {
    const f = form()
    expect(formFieldPointer(f, '/body/email')).toBe('/body/work_email')
    expect(formFieldPointer(f, '/body/phone')).toBe('/body/mobile')
    expect(formFieldPointer(f, '/body/consent')).toBe('/body/agree')
    expect(formFieldPointer(f, '/body/firstName')).toBe('/body/name')
    expect(formFieldPointer(f, '/body/country')).toBe('/body/country')
    expect(formFieldPointer(f, '/query/x')).toBe('/query/x')
  })
})

describe('fieldText', () => {
  it('trims, stringifies numbers and booleans, and reads empty as absent', () => {
    expect(fieldText(' a ')).toBe('a')
    expect(fieldText(42)).toBe('42')
    expect(fieldText(true)).toBe('true')
    expect(fieldText('  ')).toBeUndefined()
    expect(fieldText(undefined)).toBeUndefined()
  })
})

describe('submissionKey', () => {
  const at = new Date('2026-03-02T10:15:20Z')
  it("prefers the caller's id (header, then the submission_id field), scoped to the form", () => {
    expect(submissionKey('pricing', { submission_id: 'abc-1' }, undefined, at)).toEqual({
      key: 'pricing:abc-1',
      clientId: 'abc-1',
    })
    expect(submissionKey('pricing', { submission_id: 'abc-1' }, 'hdr-9', at).key).toBe('pricing:hdr-9')
  })

  it('hashes the trimmed fields and the minute when there is no usable id', () => {
    const a = submissionKey('pricing', { email: 'a@example.in', name: 'Asha' }, undefined, at)
    const b = submissionKey('pricing', { name: ' Asha ', email: 'a@example.in', blank: '' }, undefined, at)
    expect(a.key).toMatch(/^pricing:sha256:[0-9a-f]{64}$/)
    expect(b.key).toBe(a.key)
    expect(
      submissionKey('pricing', { email: 'a@example.in', submission_id: 'bad id!' }, undefined, at).clientId,
    ).toBe(undefined)
    const nextMinute = new Date('2026-03-02T10:16:01Z')
    expect(
      submissionKey('pricing', { email: 'a@example.in', name: 'Asha' }, undefined, nextMinute).key,
    ).not.toBe(a.key)
    expect(submissionKey('other', { email: 'a@example.in', name: 'Asha' }, undefined, at).key).not.toBe(a.key)
  })
})

describe('formDefinitionProblems', () => {
  const shape = (overrides: Partial<WebFormDefinition> = {}) => {
    const f = form(overrides)
    return {
      fieldMapping: f.fieldMapping,
      allowedOrigins: f.allowedOrigins,
      honeypotField: f.honeypotField,
      consentText: f.consentText,
    }
  }

  it('accepts a sound form', () => {
    expect(formDefinitionProblems(shape())).toEqual([])
  })

  it('refuses bad names, reserved names, two fields for one capture field, and no contact field', () => {
    const pointers = (overrides: Partial<WebFormDefinition>) =>
      formDefinitionProblems(shape(overrides)).map((p) => p.pointer)
    expect(pointers({ fieldMapping: { 'bad name': 'email' } })).toEqual(['/body/fieldMapping/bad name'])
    expect(pointers({ fieldMapping: { utm_source: 'email' } })).toEqual(['/body/fieldMapping/utm_source'])
    expect(pointers({ fieldMapping: { website_url: 'email' } })).toEqual(['/body/fieldMapping/website_url'])
    expect(pointers({ fieldMapping: { a: 'email', b: 'email' } })).toEqual(['/body/fieldMapping/b'])
    expect(pointers({ fieldMapping: { a: 'company' } })).toEqual(['/body/fieldMapping'])
    expect(pointers({ fieldMapping: { email: 'email', consent: 'need' } })).toEqual([
      '/body/fieldMapping/consent',
    ])
    expect(pointers({ honeypotField: 'submission_id' })).toEqual(['/body/honeypotField'])
  })

  it('accepts exact origins only', () => {
    const pointers = (allowedOrigins: string[]) =>
      formDefinitionProblems(shape({ allowedOrigins })).map((p) => p.pointer)
    expect(pointers(['https://example.com', 'http://localhost:8080'])).toEqual([])
    expect(
      pointers(['https://example.com/', 'example.com', 'https://example.com/page', 'ftp://x.org']),
    ).toEqual([
      '/body/allowedOrigins/0',
      '/body/allowedOrigins/1',
      '/body/allowedOrigins/2',
      '/body/allowedOrigins/3',
    ])
  })

  it('derives a version from the wording, so new wording never reuses an old version', () => {
    expect(wordingVersion('I agree.')).toMatch(/^sha256:[0-9a-f]{12}$/)
    expect(wordingVersion('I agree.')).toBe(wordingVersion('I agree.'))
    expect(wordingVersion('I agree!')).not.toBe(wordingVersion('I agree.'))
  })
})

describe('isAllowedOrigin', () => {
  it('allows listed and own origins exactly, never "null" or a look-alike', () => {
    const own = ['https://forms.leadwire.example']
    expect(isAllowedOrigin('https://www.example.com', ['https://www.example.com'], own)).toBe(true)
    expect(isAllowedOrigin('https://forms.leadwire.example', [], own)).toBe(true)
    expect(isAllowedOrigin('https://www.example.com.evil.io', ['https://www.example.com'], own)).toBe(false)
    expect(isAllowedOrigin('http://www.example.com', ['https://www.example.com'], own)).toBe(false)
    expect(isAllowedOrigin('null', ['null'], own)).toBe(false)
  })
})

describe('embed snippet and script', () => {
  const urls = formUrls('https://forms.leadwire.example', 'pricing')

  it('uses PUBLIC_BASE_URL, else the listening address', () => {
    expect(publicBaseUrl({ PUBLIC_BASE_URL: 'https://hub.example/', HOST: '0.0.0.0', PORT: 3000 })).toBe(
      'https://hub.example',
    )
    expect(publicBaseUrl({ PUBLIC_BASE_URL: undefined, HOST: '127.0.0.1', PORT: 3000 })).toBe(
      'http://127.0.0.1:3000',
    )
    expect(publicBaseUrl({ PUBLIC_BASE_URL: undefined, HOST: '::1', PORT: 80 })).toBe('http://[::1]:80')
  })

  it('is a plain form posting to the form URL, with the honeypot, hidden fields and consent wording', () => {
    const html = embedSnippet(form(), urls)
    expect(html).toContain('<form action="https://forms.leadwire.example/f/pricing" method="post"')
    expect(html).toContain('name="website_url" tabindex="-1"')
    for (const hidden of ['utm_source', 'utm_campaign', 'referrer', 'landing_page', 'submission_id']) {
      expect(html).toContain(`<input type="hidden" name="${hidden}" value="">`)
    }
    expect(html).toContain('<input type="checkbox" name="agree" value="yes">')
    expect(html).toContain('I agree to be contacted about Leadwire.')
    expect(html).toContain('name="consent_text_version" value="v2"')
    expect(html).toContain('type="email" id="lw-pricing-work_email" name="work_email" autocomplete="email"')
    expect(html).toContain('<script src="https://forms.leadwire.example/f/pricing/embed.js" async></script>')
    // Name before email before phone, whatever order the mapping has.
    expect(html.indexOf('name="name"')).toBeLessThan(html.indexOf('name="work_email"'))
    expect(html.indexOf('name="work_email"')).toBeLessThan(html.indexOf('name="mobile"'))
  })

  it("escapes an admin's wording and name", () => {
    const html = embedSnippet(form({ consentText: 'I agree <script>alert(1)</script> & "ok"' }), urls)
    expect(html).not.toContain('<script>alert(1)')
    expect(html).toContain('I agree &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;ok&quot;')
    expect(escapeHtml(`'`)).toBe('&#39;')
  })

  it('inlines the form settings in the script without a closing script tag', () => {
    const js = embedScript(form({ consentText: 'Yes </script> please', successMessage: 'Thanks!' }), urls)
    expect(js).toContain('"id":"pricing"')
    expect(js).toContain('"successMessage":"Thanks!"')
    expect(js).not.toContain('</script>')
    expect(js).toContain('crypto.randomUUID')
    // The script parses as JavaScript.
    expect(() => new Function(js)).not.toThrow()
  })
})
