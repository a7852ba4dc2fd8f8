import { NOT_CONNECTED_WHATSAPP } from '../activities/whatsapp-sender.js'
import { ALL_CONNECTORS } from './registry.js'
import {
  disabledConnectorIds,
  type Connector,
  type OutboundDeps,
  type OutboundSenders,
} from './sdk/connector.js'
import { createLogTransport } from './sendgrid/transport.js'
import { NOT_CONFIGURED_SMS } from './twilio/sms-sender.js'

/**
 * The senders a worker's journeys use, from the connectors that provide them. Without one,
 * email is logged and recorded as `simulated`, WhatsApp steps are skipped as
 * `channel_not_connected` and SMS steps as `channel_not_configured`: never silently dropped.
 */
export function outboundSenders(
  deps: OutboundDeps,
  connectors: readonly Connector[] = ALL_CONNECTORS,
): OutboundSenders {
  const disabled = disabledConnectorIds(deps.config)
  const senders: OutboundSenders = {
    email: createLogTransport(deps.log.child({ component: 'email-log-transport' })),
    whatsapp: NOT_CONNECTED_WHATSAPP,
    sms: NOT_CONFIGURED_SMS,
  }
  for (const connector of connectors) {
    if (!connector.outbound || disabled.has(connector.manifest.id) || !connector.isConfigured(deps.config))
      continue
    Object.assign(senders, connector.outbound(deps))
  }
  return senders
}
