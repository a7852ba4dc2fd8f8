import { createHash } from 'node:crypto'
import { canonicalJson } from '../../ingestion/idempotency.js'
import { SUBMISSION_ID_FIELD } from './form-fields.js'
import { fieldText, submitted, type SubmittedFields } from './mapping.js'

export const CLIENT_ID_PATTERN = '^[A-Za-z0-9._:-]{1,200}$'
const CLIENT_ID = new RegExp(CLIENT_ID_PATTERN)

/**
 * The submission's natural delivery key, scoped to the form. The caller's own id comes first:
 * the Idempotency-Key header, else the `submission_id` the embed script generates per render
 * (a double click, a retried fetch and a browser's resubmit all carry it). Without one, the
 * same fields posted to the same form within the same minute are one submission: a sha256 of
 * the form id, the trimmed fields and the minute. An id that is not a sane token is ignored.
 */
export function submissionKey(
  formId: string,
  fields: SubmittedFields,
  headerKey: string | undefined,
  receivedAt: Date,
): { key: string; clientId: string | undefined } {
  const clientId = [headerKey, fieldText(submitted(fields, SUBMISSION_ID_FIELD))].find(
    (id): id is string => id !== undefined && CLIENT_ID.test(id),
  )
  if (clientId) return { key: `${formId}:${clientId}`, clientId }
  const normalised: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(fields)) {
    const text = Array.isArray(value) ? value.map((v) => v.trim()) : fieldText(value)
    if (text !== undefined && text.length > 0) normalised[name] = text
  }
  const minute = Math.floor(receivedAt.getTime() / 60_000)
  const hash = createHash('sha256')
    .update(canonicalJson({ formId, fields: normalised, minute }))
    .digest('hex')
  return { key: `${formId}:sha256:${hash}`, clientId: undefined }
}
