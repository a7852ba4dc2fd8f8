import { LeadwireError } from '../../platform/errors.js'

/** A keyset position: the sort value and id of the last row of a page. */
export interface Cursor {
  v: string | number
  id: string
}

export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url')

export function decodeCursor(raw: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString()) as Cursor
    if (typeof c.id === 'string' && (typeof c.v === 'string' || typeof c.v === 'number')) return c
  } catch {
    // fall through
  }
  throw cursorError()
}

/** The 400 for a cursor this API did not hand out. */
export function cursorError(): LeadwireError {
  return new LeadwireError('malformed_request', 400, 'The cursor is not one this API returned.', {
    errors: [{ pointer: '/querystring/cursor', message: 'is not a cursor this API returned' }],
  })
}
