import type { ContactChannel } from '../../domain/lead/lead-capture.js'
import type { WebForm } from '../../generated/prisma/client.js'
import type { Db } from '../../platform/database/prisma.js'
import { NotFoundError } from '../../platform/errors.js'
import type { FormCaptureField, WebFormDefinition } from './form-fields.js'

/** The row, typed: the JSON columns were checked against the form schema when written. */
export function toDefinition(row: WebForm): WebFormDefinition {
  return {
    id: row.id,
    name: row.name,
    isActive: row.isActive,
    fieldMapping: row.fieldMapping as Record<string, FormCaptureField>,
    allowedOrigins: row.allowedOrigins,
    consentText: row.consentText,
    consentTextVersion: row.consentTextVersion,
    consentChannels: row.consentChannels as ContactChannel[],
    redirectUrl: row.redirectUrl,
    successMessage: row.successMessage,
    honeypotField: row.honeypotField,
    rateLimitPerMinute: row.rateLimitPerMinute,
    attribution: row.attribution as WebFormDefinition['attribution'],
  }
}

/**
 * The form behind a public URL. An inactive form is as absent as an unknown one (404):
 * a switched-off campaign form takes no more leads, and says nothing about why.
 */
export async function activeForm(db: Db, id: string): Promise<WebFormDefinition> {
  const row = await db.webForm.findUnique({ where: { id } })
  if (!row || !row.isActive) throw new NotFoundError('form', id)
  return toDefinition(row)
}
