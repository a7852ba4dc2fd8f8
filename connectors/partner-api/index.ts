import { defineConnector } from '../sdk/connector.js'
import { partnerApiManifest } from './manifest.js'
import { partnerApiRoutes } from './routes.js'

/*
 * The partner API: partners push leads with their own keys. Design (README.md here):
 * - keys `lwp_<keyId>_<secret>`, only sha256 stored, shown once (keys.ts);
 * - each request: Bearer key (unknown 401, revoked key or inactive partner 403), then
 *   `X-Leadwire-Signature: t=..,v1=HMAC-SHA256(key, "<t>.<raw body>")` within 300 s (401),
 *   then the partner's rate limit (429), all before anything is written (authenticate.ts);
 * - Idempotency-Key required; the delivery key is `<partnerId>:<Idempotency-Key>`, claimed
 *   with strictBody so the same key with another body is a 422 (lead.routes.ts);
 * - every lead: channel partner_api, source = the partner, medium partner (parse.ts);
 * - the admin API at /v1/partners manages partners and keys (admin.routes.ts).
 */
export const partnerApiConnector = defineConnector({
  manifest: partnerApiManifest,
  // Nothing to configure: partners and their keys are rows, added through the admin API.
  isConfigured: () => true,
  routes: partnerApiRoutes,
})
