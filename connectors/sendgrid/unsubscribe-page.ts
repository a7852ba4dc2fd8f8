import { escapeHtml } from '../../platform/html.js'

/*
 * The unsubscribe pages: small, self-contained HTML (no scripts, no external assets), in
 * plain words. Pure: the route decides which page and with which status.
 */

/**
 * Enough of the address for its owner to recognise it, not enough for someone who found
 * the link to learn it: `m***@example.com`.
 */
export function maskEmail(email: string | null): string | null {
  if (!email) return null
  const at = email.lastIndexOf('@')
  if (at <= 0) return null
  return `${email.slice(0, 1)}***${email.slice(at)}`
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:3rem 1rem;color:#1f2328;background:#f6f8fa}
main{max-width:32rem;margin:0 auto;background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:2rem}
h1{font-size:1.3rem;margin-top:0}
button{font:inherit;padding:.6rem 1.2rem;border-radius:6px;border:1px solid #1f2328;background:#1f2328;color:#fff;cursor:pointer}
</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`
}

/** Asks first: link scanners and mail previews open links, and must not unsubscribe anyone. */
export function confirmPage(maskedEmail: string | null): string {
  const who = maskedEmail ? `<strong>${escapeHtml(maskedEmail)}</strong>` : 'this address'
  return page(
    'Unsubscribe from marketing email?',
    `<p>Unsubscribe ${who} from our marketing email? We will stop sending you nurture emails.</p>
<form method="post">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">Unsubscribe</button>
</form>`,
  )
}

export function donePage(maskedEmail: string | null): string {
  const who = maskedEmail ? escapeHtml(maskedEmail) : 'This address'
  return page(
    'You are unsubscribed',
    `<p>${who} will no longer receive our marketing email. Messages you ask us for, such as replies to your questions, may still reach you.</p>`,
  )
}

export function invalidLinkPage(): string {
  return page(
    'This link does not work',
    '<p>This unsubscribe link is incomplete or was changed. Please open the link from the email again, or reply to the email and ask us to stop.</p>',
  )
}

export function unknownPersonPage(): string {
  return page(
    'Nothing to unsubscribe',
    '<p>We no longer hold this address, so we will not send it any more email.</p>',
  )
}
