import { Type, type Static } from 'typebox'
import { NO_NUL, Text, Nullable, IsoTime } from './primitives.js'
import { PageOf, PageQueryFields } from './page.schema.js'
import { FORM_CAPTURE_FIELDS } from '../../connectors/web-form/form-fields.js'
import { CLIENT_ID_PATTERN } from '../../connectors/web-form/delivery-key.js'
import { CONTACT_CHANNELS } from '../../domain/lead/lead-capture.js'

const HttpUrl = Text(2000, { format: 'uri', pattern: '^https?://[^\\s\\u0000]+$' })

// ---------------------------------------------------------------------------------------
// Admin API (/v1/forms)
// ---------------------------------------------------------------------------------------

// The id is in every public URL (/f/<id>) and in the consent source (`web_form:<id>`).
const FormId = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]{1,62}$',
  description: 'A lower-case slug (2-63 characters: a-z, 0-9, -), used in the public URL /f/{id}.',
})

export const FormParams = Type.Object({ id: FormId })

const FieldMapping = Type.Record(Type.String(), Type.Enum([...FORM_CAPTURE_FIELDS]), {
  maxProperties: 40,
  description:
    'Form field name -> capture field. `fullName` is split into first and last name; `consent` is the consent ' +
    'checkbox (without one, a form with consent wording gets a checkbox named `consent`). Map email or phone.',
})

const Attribution = Type.Object(
  {
    source: Type.Optional(Text(200)),
    medium: Type.Optional(Text(200)),
    campaign: Type.Optional(Text(200)),
  },
  {
    additionalProperties: false,
    title: 'FormAttribution',
    description:
      "Defaults for the form's leads. A submission's own utm_* tags win; one that names its own utm_source keeps " +
      'its tags as a set (no default medium or campaign mixed in).',
  },
)

const Settings = {
  name: Text(200),
  fieldMapping: FieldMapping,
  allowedOrigins: Type.Array(Text(300), {
    maxItems: 50,
    uniqueItems: true,
    description:
      'Sites that may post the form from a browser, as exact origins (https://example.com). The hosted page may always.',
  }),
  consentText: Nullable(
    Text(5000, { description: 'The consent checkbox wording, stored with each consent given.' }),
  ),
  consentTextVersion: Nullable(
    Text(100, {
      description:
        'Version id of the wording. Without one, a version is derived from the wording (a new wording, a new version).',
    }),
  ),
  consentChannels: Type.Array(Type.Enum([...CONTACT_CHANNELS]), {
    uniqueItems: true,
    description: 'Channels the consent covers; empty means every channel.',
  }),
  redirectUrl: Nullable(HttpUrl),
  successMessage: Nullable(Text(1000)),
  honeypotField: Type.String({
    minLength: 1,
    maxLength: 64,
    pattern: NO_NUL,
    description: 'A hidden field people never see; bots fill it in (their submissions are quarantined).',
  }),
  rateLimitPerMinute: Type.Integer({
    minimum: 1,
    maximum: 10_000,
    description: 'Submissions per minute from one IP address.',
  }),
  attribution: Attribution,
}

/** The settings a form may leave out when created, and any of which a patch may change. */
const optionalSettings = {
  allowedOrigins: Type.Optional(Settings.allowedOrigins),
  consentText: Type.Optional(Settings.consentText),
  consentTextVersion: Type.Optional(Settings.consentTextVersion),
  consentChannels: Type.Optional(Settings.consentChannels),
  redirectUrl: Type.Optional(Settings.redirectUrl),
  successMessage: Type.Optional(Settings.successMessage),
  honeypotField: Type.Optional(Settings.honeypotField),
  rateLimitPerMinute: Type.Optional(Settings.rateLimitPerMinute),
  attribution: Type.Optional(Settings.attribution),
}

export const CreateFormBody = Type.Object(
  {
    id: FormId,
    name: Settings.name,
    fieldMapping: Settings.fieldMapping,
    ...optionalSettings,
  },
  { additionalProperties: false, title: 'CreateForm' },
)
export type CreateFormBody = Static<typeof CreateFormBody>

export const PatchFormBody = Type.Object(
  {
    name: Type.Optional(Settings.name),
    isActive: Type.Optional(
      Type.Boolean({ description: 'An inactive form answers 404 on its public URLs.' }),
    ),
    fieldMapping: Type.Optional(Settings.fieldMapping),
    ...optionalSettings,
  },
  { additionalProperties: false, minProperties: 1, title: 'PatchForm' },
)
export type PatchFormBody = Static<typeof PatchFormBody>

export const FormDetail = Type.Object(
  {
    id: Type.String(),
    ...Settings,
    // Read back as stored: no length rules on the way out.
    name: Type.String(),
    isActive: Type.Boolean(),
    hostedUrl: Type.String({ description: 'The hosted page (and where the form posts).' }),
    createdAt: IsoTime,
    createdBy: Type.String(),
    updatedAt: IsoTime,
    updatedBy: Type.String(),
  },
  { title: 'Form' },
)
export type FormDetail = Static<typeof FormDetail>

export const FormList = PageOf(FormDetail, 'FormList')

export const ListFormsQuery = Type.Object(
  {
    isActive: Type.Optional(Type.Boolean()),
    q: Type.Optional(Text(200, { description: 'Part of the form id or name (case-insensitive).' })),
    ...PageQueryFields,
  },
  { additionalProperties: false },
)

export const FormEmbed = Type.Object(
  {
    html: Type.String({
      description:
        'The snippet to paste: a plain HTML form (works without JavaScript) followed by the script tag that enhances it.',
    }),
    script: Type.String({ description: 'The script tag alone: it renders the form where it is placed.' }),
    scriptUrl: Type.String(),
    hostedUrl: Type.String({ description: 'The form on a page of its own.' }),
  },
  { title: 'FormEmbed' },
)

// ---------------------------------------------------------------------------------------
// Public endpoints (/f/:formId)
// ---------------------------------------------------------------------------------------

export const PublicFormParams = Type.Object({ formId: FormId })

const FieldText = Type.String({ maxLength: 5000, pattern: NO_NUL })
export const FormSubmissionBody = Type.Record(
  Type.String({ maxLength: 100, pattern: NO_NUL }),
  Type.Union([FieldText, Type.Number(), Type.Boolean(), Type.Array(FieldText, { maxItems: 50 })]),
  {
    maxProperties: 100,
    title: 'FormSubmission',
    description:
      'The form fields by name (application/x-www-form-urlencoded or JSON), plus the hidden utm_*, referrer, ' +
      'landing_page and submission_id fields the snippet carries.',
  },
)

export const FormSubmissionHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      pattern: CLIENT_ID_PATTERN,
      description: 'The submission id, for JSON callers (the snippet sends it as the submission_id field).',
    }),
  ),
})

export const FormSubmissionAccepted = Type.Object(
  {
    ok: Type.Boolean(),
    message: Type.String({ description: "The form's success message." }),
    leadId: Type.Optional(Type.String({ format: 'uuid' })),
  },
  { title: 'FormSubmissionAccepted' },
)

/** A text/html answer of the public endpoints, for the OpenAPI document. */
export const HtmlPage = (description: string) => ({
  description,
  content: { 'text/html': { schema: Type.String() } },
})
export const Redirect = {
  description: "A plain browser post: on to the form's redirect URL.",
  type: 'null',
} as const
export const JavaScript = {
  description: 'The embed script (plain JavaScript).',
  content: { 'application/javascript': { schema: Type.String() } },
}
