import { Type } from 'typebox'

/** PostgreSQL text cannot hold U+0000: refuse it at the edge (422) rather than fail the insert (500). */
export const NO_NUL = '^[^\\u0000]*$'

/** Non-empty text without U+0000, at most `maxLength` characters. */
export const Text = (maxLength: number, extra: object = {}) =>
  Type.String({ minLength: 1, maxLength, pattern: NO_NUL, ...extra })

export const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()])

export const IsoTime = Type.String({ format: 'date-time' })
