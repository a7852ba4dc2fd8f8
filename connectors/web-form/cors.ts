/**
 * Whether a browser on `origin` may post to the form. The form's own pages (the hosted page,
 * served from this API) always may; any other site must be listed in the form's
 * allowedOrigins, compared exactly: origins are what browsers send, so no pattern or
 * suffix match that a look-alike domain could satisfy. "null" (sandboxed frames, file://)
 * is never allowed.
 */
export function isAllowedOrigin(
  origin: string,
  allowedOrigins: readonly string[],
  ownOrigins: readonly string[],
): boolean {
  if (origin === 'null') return false
  return allowedOrigins.includes(origin) || ownOrigins.includes(origin)
}

/** The origin of a URL, or null when it is not one. */
export function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin
    return origin === 'null' ? null : origin
  } catch {
    return null
  }
}
