import type pg from 'pg'
import { uuidv7 } from 'uuidv7'

/*
 * Leads ready for a journey, written straight into the tables as ingestion leaves them after
 * a capture: the lead (email consent granted), its consent record and, in the same
 * transaction, its `lead.captured` outbox event. One statement per call.
 */

/** What the benchmark's leads are recognised by (with created_at >= the run's start). */
export const BENCH_CREATED_BY = 'bench'

/**
 * A real IANA zone (Etc/GMT-5 is UTC+5) where it is about 13:00 now. The welcome email is
 * due at once; in the default playbook's quiet hours (20:00-09:00 local) the journey would
 * defer it and wait without sending, so a run at night in India would do less work than one
 * by day. Leads in this zone get the same work whenever the benchmark runs.
 */
export function middayZone(now = new Date()): string {
  const utcHours = now.getUTCHours() + now.getUTCMinutes() / 60
  let offset = Math.round(13 - utcHours)
  if (offset < -12) offset += 24
  if (offset > 14) offset -= 24
  if (offset === 0) return 'Etc/UTC'
  // The Etc/GMT names carry the POSIX sign: east of Greenwich is minus.
  return `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`
}

const SEED_SQL = `
WITH s AS (
  SELECT n, id
    FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)
), leads AS (
  INSERT INTO lead (id, channel, first_name, last_name, email, email_domain, company, country, time_zone,
                    consent_status, consent_channels, consent_at, consent_source, consent_text_version,
                    opt_in_at, score, created_at, updated_at, created_by, updated_by)
  SELECT id, 'web_form', 'Asha', 'Bench ' || ($2::int + n), 'journey' || ($2::int + n) || '@bench.example.in',
         'bench.example.in', 'Bench Textiles Pvt Ltd', 'IN', $3::text,
         'granted', '{email}', now(), 'web_form:/bench', 'v3',
         now(), 10, now(), now(), '${BENCH_CREATED_BY}', '${BENCH_CREATED_BY}'
    FROM s
  RETURNING id
), consent AS (
  INSERT INTO consent_record (lead_id, status, channels, source, text_version, at, recorded_by)
  SELECT id, 'granted', '{email}', 'web_form:/bench', 'v3', now(), '${BENCH_CREATED_BY}' FROM leads
), events AS (
  INSERT INTO outbox_event (topic, aggregate_id, payload)
  SELECT 'lead.captured', id::text, jsonb_build_object('leadId', id::text) FROM leads
  RETURNING id
)
SELECT min(id)::text AS lo, max(id)::text AS hi, count(*)::int AS n FROM events`

export interface SeededEvents {
  /** outbox_event ids lo..hi hold exactly this batch's events. */
  lo: string
  hi: string
  count: number
  timeZone: string
  seconds: number
}

/**
 * Writes `count` leads (numbered from `first`) with their consent record and outbox event in
 * one transaction, as a capture does; the outbox trigger's NOTIFY fires at commit.
 */
export async function seedJourneyLeads(
  pool: pg.Pool,
  first: number,
  count: number,
  timeZone = middayZone(),
): Promise<SeededEvents> {
  const started = performance.now()
  const ids = Array.from({ length: count }, () => uuidv7())
  const row = (await pool.query<{ lo: string; hi: string; n: number }>(SEED_SQL, [ids, first - 1, timeZone]))
    .rows[0]
  if (!row || row.n !== count)
    throw new Error(`seeding wrote ${row?.n ?? 0} outbox events instead of ${count}`)
  return { lo: row.lo, hi: row.hi, count, timeZone, seconds: (performance.now() - started) / 1000 }
}
