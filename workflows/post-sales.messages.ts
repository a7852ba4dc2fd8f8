import { defineQuery, defineSignal } from '@temporalio/workflow'

/*
 * The post-sales workflows' public surface: ids derived from business ids, inputs that
 * carry ids only (never personal data: payloads reach Temporal's history), and one
 * "changed" signal each. A signal says only that something changed; the workflow re-reads
 * the record through an activity and recomputes its next deadline, so a signal delivered
 * twice, late or out of order changes nothing.
 */

/** Collects an issued invoice: reminders before and after the due date, then escalation. */
export const INVOICE_COLLECTION_WORKFLOW = 'invoiceCollection'
export const invoiceCollectionId = (invoiceId: string) => `invoice/${invoiceId}`
export interface InvoiceCollectionInput {
  invoiceId: string
}
/** A payment was recorded, the invoice was voided or its due date moved. */
export const invoiceChanged = defineSignal<[{ reason: string }]>('invoiceChanged')
export const getInvoiceCollection = defineQuery<unknown>('getInvoiceCollection')

/** Watches a support ticket's SLA deadlines: breach, escalation, and their timeline entries. */
export const TICKET_SLA_WORKFLOW = 'ticketSla'
export const ticketSlaId = (ticketId: string) => `ticket/${ticketId}`
export interface TicketSlaInput {
  ticketId: string
}
/** First response, status (pending/resolved/closed/reopened) or priority changed. */
export const ticketChanged = defineSignal<[{ reason: string }]>('ticketChanged')
export const getTicketSla = defineQuery<unknown>('getTicketSla')

/** Drives a contract to its renewal: reminders and a renewal opportunity ahead of the end date. */
export const CONTRACT_RENEWAL_WORKFLOW = 'contractRenewal'
export const contractRenewalId = (contractId: string) => `contract/${contractId}`
export interface ContractRenewalInput {
  contractId: string
}
/** The end date, lead time or status changed (renewed, cancelled). */
export const contractChanged = defineSignal<[{ reason: string }]>('contractChanged')
export const getContractRenewal = defineQuery<unknown>('getContractRenewal')
