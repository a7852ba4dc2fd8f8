import type { ConnectorManifest } from '../sdk/connector.js'

export const googleAdsManifest: ConnectorManifest = {
  id: 'google-ads',
  title: 'Google Ads lead forms',
  channel: 'web_form',
  kind: 'webhook',
  summary:
    "Leads from Google Ads lead form assets, delivered by the form's webhook. The example connector of docs/connector-sdk.md.",
  settings: [{ key: 'GOOGLE_ADS_WEBHOOK_KEY', secret: true, required: true }],
  endpoints: [
    { method: 'POST', path: '/webhooks/google-ads/leads', auth: 'google_key in the body', access: 'public' },
  ],
  deliveryKey: "Google's lead_id",
}
