import type { ContractRenewalInput } from './post-sales.messages.js'

// STUB: replaced by the post-sales work. Registered so the worker bundle already serves it.
export async function contractRenewal(_input: ContractRenewalInput): Promise<void> {}
