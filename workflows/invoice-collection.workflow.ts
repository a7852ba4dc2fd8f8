import type { InvoiceCollectionInput } from './post-sales.messages.js'

// STUB: replaced by the post-sales work. Registered so the worker bundle already serves it.
export async function invoiceCollection(_input: InvoiceCollectionInput): Promise<void> {}
