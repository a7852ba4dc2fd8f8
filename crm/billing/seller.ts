import { GST_STATE_CODES, parseGstin } from '../../domain/account/gstin.rules.js'
import { supplierStateCode } from '../../domain/billing/gst.rules.js'
import type { Config } from '../../platform/config.js'

/** The seller as printed on (and snapshotted into) each invoice. */
export interface SellerProfile {
  name: string
  /** Null: not registered for GST, so invoices carry no GST. */
  gstin: string | null
  stateCode: string
  stateName: string
  address: string
}

/** Invoice settings from the configuration. */
export interface BillingSettings {
  seller: SellerProfile
  series: string
  paymentTermsDays: number
}

export type BillingConfig = Pick<
  Config,
  | 'SELLER_NAME'
  | 'SELLER_GSTIN'
  | 'SELLER_STATE_CODE'
  | 'SELLER_ADDRESS'
  | 'INVOICE_SERIES'
  | 'INVOICE_PAYMENT_TERMS_DAYS'
>

/**
 * The seller profile and invoice settings. A GSTIN whose checksum fails is a configuration
 * mistake that would print an invalid registration on tax invoices: refused outright.
 */
export function billingSettings(config: BillingConfig): BillingSettings {
  let gstin: string | null = null
  if (config.SELLER_GSTIN) {
    const parsed = parseGstin(config.SELLER_GSTIN)
    if (!parsed.ok) throw new Error(`SELLER_GSTIN is not a valid GSTIN (${parsed.reason})`)
    gstin = parsed.gstin
  }
  const stateCode = supplierStateCode({ gstin, stateCode: config.SELLER_STATE_CODE })
  if (!stateCode) throw new Error(`SELLER_STATE_CODE ${config.SELLER_STATE_CODE} is not a GST state code`)
  return {
    seller: {
      name: config.SELLER_NAME,
      gstin,
      stateCode,
      stateName: GST_STATE_CODES[stateCode] ?? stateCode,
      address: config.SELLER_ADDRESS,
    },
    series: config.INVOICE_SERIES,
    paymentTermsDays: config.INVOICE_PAYMENT_TERMS_DAYS,
  }
}
