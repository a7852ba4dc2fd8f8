import type { ConsentColumns } from '../ingestion/consent-state.js'
import type { Db, Tx } from '../platform/database/prisma.js'

/** A lead's consent as it stands now, with the consent record that state came from. */
export interface ConsentNow extends ConsentColumns {
  leadId: string
  status: string
  isDuplicate: boolean
  email: string | null
  phone: string | null
  /**
   * The last consent_record written for the lead: every consent change writes one in the
   * transaction that updates the lead's columns, so this is the record the columns reflect.
   * Null for a lead captured without consent evidence (nothing was recorded).
   */
  consentRecordId: bigint | null
}

type Row = {
  status: string
  is_duplicate: boolean
  email: string | null
  phone: string | null
  consent_status: string
  consent_channels: string[]
  opt_in_at: Date | null
  opt_out_at: Date | null
  opt_out_reason: string | null
  dnd: boolean
  consent_record_id: bigint | null
}

/**
 * Re-reads consent, DND and opt-out right before something goes out to the person. One
 * statement, so the columns and the record id come from one snapshot: a consent change
 * committing in between cannot pair the old state with the new record. The highest id, not
 * the latest `at`: a backdated withdrawal (an unsubscribe processed late) is still the
 * change the lead's state came from.
 */
export async function readConsentNow(db: Db | Tx, leadId: string): Promise<ConsentNow | null> {
  const [row] = await db.$queryRaw<Row[]>`
    SELECT l.status, l.is_duplicate, l.email, l.phone, l.consent_status, l.consent_channels,
           l.opt_in_at, l.opt_out_at, l.opt_out_reason, l.dnd,
           (SELECT max(c.id) FROM consent_record c WHERE c.lead_id = l.id) AS consent_record_id
      FROM lead l
     WHERE l.id = ${leadId}::uuid`
  if (!row) return null
  return {
    leadId,
    status: row.status,
    isDuplicate: row.is_duplicate,
    email: row.email,
    phone: row.phone,
    consentStatus: row.consent_status,
    consentChannels: row.consent_channels,
    optInAt: row.opt_in_at,
    optOutAt: row.opt_out_at,
    optOutReason: row.opt_out_reason,
    dnd: row.dnd,
    consentRecordId: row.consent_record_id,
  }
}
