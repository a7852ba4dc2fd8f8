import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { DomainRuleError, LeadwireError } from '../../platform/errors.js'
import { looksBinary, readHead } from './read-csv.js'
import type { ImportFormat } from './read-sheet.js'

/** Files are streamed to disk, never held in memory; this caps what one upload may fill. */
export const MAX_IMPORT_BYTES = 1024 ** 3

export const CSV_TYPES = [
  'text/csv',
  'application/csv',
  'text/comma-separated-values',
  // What browsers on Windows send for a .csv file when Excel is installed.
  'application/vnd.ms-excel',
] as const
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
export const UPLOAD_TYPES = [...CSV_TYPES, XLSX_TYPE, 'application/octet-stream'] as const

/** The format a content type declares; null for application/octet-stream (decided from the bytes). */
export function declaredFormat(contentType: string | undefined): ImportFormat | null | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase()
  if (type === undefined) return undefined
  if ((CSV_TYPES as readonly string[]).includes(type)) return 'csv'
  if (type === XLSX_TYPE) return 'xlsx'
  if (type === 'application/octet-stream') return null
  return undefined
}

export class UnsupportedMediaTypeError extends LeadwireError {
  override name = 'UnsupportedMediaTypeError'
  constructor(message: string) {
    super('unsupported_media_type', 415, message)
  }
}

export interface StoredUpload {
  path: string
  format: ImportFormat
  fileHash: string
  sizeBytes: number
}

// XLSX is a zip: every zip starts with a local file header, "PK\x03\x04".
const isZip = (head: Buffer) => head.length >= 4 && head.readUInt32BE(0) === 0x504b0304

/**
 * Streams an upload to `<dir>/<id>.<format>` while hashing it (sha256: the file's identity
 * in the delivery ledger) and counting its size. The file is checked against the format it
 * claims before it is kept: an empty body, binary data sent as CSV, or a CSV sent as XLSX is
 * refused (422) and removed.
 */
export async function storeUpload(
  body: Readable,
  target: { dir: string; id: string; declared: ImportFormat | null; maxBytes?: number },
): Promise<StoredUpload> {
  const maxBytes = target.maxBytes ?? MAX_IMPORT_BYTES
  await mkdir(target.dir, { recursive: true })
  const partial = path.join(target.dir, `${target.id}.upload`)
  const hash = createHash('sha256')
  let size = 0
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length
      if (size > maxBytes) {
        done(new LeadwireError('payload_too_large', 413, `The file is larger than ${maxBytes} bytes.`))
        return
      }
      hash.update(chunk)
      done(null, chunk)
    },
  })
  try {
    await pipeline(body, meter, createWriteStream(partial))
    if (size === 0)
      throw new DomainRuleError('The file is empty.', [{ pointer: '/body', message: 'is empty' }])
    const head = await readHead(partial, 4096)
    const zip = isZip(head)
    const format: ImportFormat = target.declared ?? (zip ? 'xlsx' : 'csv')
    if (format === 'xlsx' && !zip) {
      throw new DomainRuleError('The file is not an XLSX workbook.', [
        { pointer: '/body', message: 'is not an XLSX (zip) file' },
      ])
    }
    if (format === 'csv' && (zip || looksBinary(head))) {
      throw new DomainRuleError(
        zip
          ? 'The file is a zip archive (an XLSX workbook?), not CSV: send it as application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
          : 'The file is not a text CSV file (it holds binary data).',
        [{ pointer: '/body', message: 'is not CSV text' }],
      )
    }
    const stored = path.join(target.dir, `${target.id}.${format}`)
    await rename(partial, stored)
    return { path: stored, format, fileHash: hash.digest('hex'), sizeBytes: size }
  } catch (err) {
    await rm(partial, { force: true })
    throw err
  }
}
