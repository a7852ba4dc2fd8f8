import type { LeadCapture } from '../../../domain/lead/lead-capture.js'

/*
 * The fair-assignment proof's leads, shared by the test and its worker processes: lead i is
 * the same person with the same delivery key on every run and every restart, so a re-sent
 * lead is a replay of its delivery (exactly-once), never a new person.
 */

export const WEB_FORM = { connectorId: 'web-form', actor: { id: 'connector:web-form' } }
export const IMPORT = { connectorId: 'import', actor: { id: 'connector:import' } }
/** The import file's delivery keys are `<file hash>:<row>`, as connectors/import writes them. */
export const IMPORT_FILE_HASH = 'fair-assignment-proof'

/** Leads go to the workers in chunks of this many; a chunk is one import batch. */
export const CHUNK = 100
/** Every fifth chunk arrives as web-form submissions, one transaction each; the rest as import batches. */
export const viaWebForm = (chunk: number) => chunk % 5 === 0

const FIRST = ['Asha', 'Ravi', 'Meera', 'Arjun', 'Priya', 'Karan', 'Divya', 'Rahul', 'Sneha', 'Vikram']
const LAST = ['Rao', 'Iyer', 'Shah', 'Menon', 'Patel', 'Nair', 'Gupta', 'Reddy', 'Das', 'Kulkarni']
const INDUSTRIES = ['Software', 'Manufacturing', 'Retail', 'Healthcare', 'Logistics']

/** The worker that owns lead i (round-robin by index, so every shard has both paths). */
export const shardOf = (i: number, workers: number) => i % workers

/** A distinct person per index: own email, phone and company, so dedupe never links two of them. */
export function proofLead(i: number): LeadCapture {
  const first = FIRST[i % FIRST.length]!
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!
  const company = `Northwind ${i}`
  return {
    channel: 'web_form',
    firstName: first,
    lastName: last,
    email: `${first}.${last}.${i}@northwind${i}.in`.toLowerCase(),
    phone: `+91 98${String(i).padStart(8, '0')}`,
    company,
    industry: INDUSTRIES[i % INDUSTRIES.length],
    country: 'IN',
    state: 'Karnataka',
  }
}

/** The web form's natural key for lead i's submission. */
export const submissionKey = (i: number) => `proof-form:submission-${i}`
/** The import row number of lead i (1-based, as a file's rows are numbered). */
export const importRow = (i: number) => i + 1
