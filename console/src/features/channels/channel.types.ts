/*
 * The channel setup API as the console reads it: hand-written from api/schemas/connector,
 * web-form and partner schemas (the console does not import server code).
 */

export interface ConnectorSetting {
  key: string
  secret: boolean
  required: boolean
  set: boolean
}

export interface ConnectorEndpoint {
  method: string
  path: string
  auth: string
}

export interface Connector {
  id: string
  title: string
  channel: string | null
  kind: 'webhook' | 'listener' | 'file' | 'outbound'
  summary: string
  /** Its required settings are present. */
  configured: boolean
  /** Configured and not listed in CONNECTORS_DISABLED. */
  enabled: boolean
  /** idle, starting, connected, pairing, reconnecting, disconnected, error or disabled. */
  status: string
  lastActivityAt: string | null
  deliveries: number
  duplicateDeliveries: number
  lastError: string | null
  lastErrorAt: string | null
  deliveryKey: string
  settings: ConnectorSetting[]
  endpoints: ConnectorEndpoint[]
}

export interface ConnectorList {
  items: Connector[]
  /** PUBLIC_BASE_URL, else the address the API listens on; no trailing slash. */
  publicBaseUrl: string
}

/** connectors/web-form/form-fields.ts FORM_CAPTURE_FIELDS, in the order a snippet shows them. */
export const FORM_CAPTURE_FIELDS = [
  'fullName',
  'firstName',
  'lastName',
  'email',
  'phone',
  'company',
  'title',
  'website',
  'industry',
  'companySize',
  'country',
  'state',
  'city',
  'budget',
  'authority',
  'need',
  'timeline',
  'consent',
] as const
export type FormCaptureField = (typeof FORM_CAPTURE_FIELDS)[number]

export const CONTACT_CHANNELS = ['email', 'whatsapp', 'sms', 'phone'] as const
export type ContactChannel = (typeof CONTACT_CHANNELS)[number]

export interface WebForm {
  id: string
  name: string
  isActive: boolean
  /** Form field name -> capture field. */
  fieldMapping: Record<string, FormCaptureField>
  allowedOrigins: string[]
  consentText: string | null
  consentTextVersion: string | null
  consentChannels: ContactChannel[]
  redirectUrl: string | null
  successMessage: string | null
  honeypotField: string
  rateLimitPerMinute: number
  attribution: { source?: string; medium?: string; campaign?: string }
  hostedUrl: string
  createdAt: string
  createdBy: string
  updatedAt: string
  updatedBy: string
}

export interface FormEmbed {
  /** The snippet to paste: plain HTML and the script tag that enhances it. */
  html: string
  script: string
  scriptUrl: string
  hostedUrl: string
}

export interface PartnerKey {
  id: string
  label: string | null
  createdAt: string
  createdBy: string
  lastUsedAt: string | null
  revokedAt: string | null
  revokedBy: string | null
}

interface PartnerFields {
  id: string
  name: string
  isActive: boolean
  rateLimitPerMinute: number
  attributionSource: string
  createdAt: string
  createdBy: string
  updatedAt: string
  updatedBy: string
}

export interface PartnerSummary extends PartnerFields {
  activeKeys: number
}

export interface PartnerDetail extends PartnerFields {
  keys: PartnerKey[]
}

/** POST /v1/partners/{id}/keys: the only answer that carries the key. */
export interface IssuedKey {
  id: string
  key: string
  label: string | null
  createdAt: string
}

export interface WhatsAppPairing {
  /** pairing (scan the QR), connected, reconnecting, disconnected (re-pair), starting, idle, error. */
  status: string
  qr: string | null
  qrSvg: string | null
  pairedAs: string | null
  updatedAt: string | null
}
