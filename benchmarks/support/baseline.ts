import pg from 'pg'
import { uuidv7 } from 'uuidv7'
import { SEED_LISTS } from './seed-data.js'
import { Samples, summarise, type Latency } from './stats.js'

export interface BaselineResult {
  rows: number
  seconds: number
  perSecond: number
  latency: Latency
  failures: number
  firstError: string | undefined
}

const { FIRST_NAMES, LAST_NAMES, COMPANY_A, COMPANY_B, TITLES } = SEED_LISTS
const pick = <T>(list: readonly T[], n: number): T => list[n % list.length] as T

// The lead row a capture writes, with its indexed columns (uuidv7 key like ingestion's,
// fuzzy_key for the trigram index, company_domain, created_at): one statement, autocommit.
const INSERT = `
INSERT INTO lead (id, channel, first_name, last_name, email, email_domain, phone, phone_country, company,
                  company_domain, title, country, fuzzy_key, score, queue, created_by, updated_by, updated_at)
VALUES ($1, 'web_form', $2, $3, $4, $5, $6, 'IN', $7, $5, $8, 'IN', $9, $10, 'unassigned', 'baseline', 'baseline', now())`

/**
 * The bare database ceiling on the same server and pool size: `connections` loops, each doing
 * single-row INSERT + COMMIT (autocommit) of a fresh lead row back to back for `duration`
 * seconds, through a pg pool of `poolMax` like the API's. Latency includes waiting for a pooled
 * connection, as the API's does. The rows are deleted afterwards.
 */
export async function runBaseline(options: {
  url: string
  poolMax: number
  connections: number
  duration: number
}): Promise<BaselineResult> {
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolMax })
  const latencies = new Samples()
  let seq = 0
  let failures = 0
  let firstError: string | undefined
  try {
    // Open the pool's connections first: the API's pool was warm too.
    await Promise.all(Array.from({ length: options.poolMax }, () => pool.query('SELECT 1')))
    const started = performance.now()
    const deadline = started + options.duration * 1000
    const loop = async () => {
      while (performance.now() < deadline) {
        const n = ++seq
        const first = pick(FIRST_NAMES, n * 7)
        const last = pick(LAST_NAMES, n * 11)
        const a = pick(COMPANY_A, n * 13)
        const b = pick(COMPANY_B, n)
        const domain = `${a}${b}.com`.toLowerCase()
        const values = [
          uuidv7(),
          first,
          last,
          `${first}.${last}.${n}@${domain}`.toLowerCase().replace(/'/g, ''),
          domain,
          `+9197${String(n).padStart(8, '0')}`,
          `${a} ${b} Pvt Ltd`,
          pick(TITLES, n),
          `${first} ${last.replace(/'/g, '')}|${a} ${b}`.toLowerCase(),
          n % 101,
        ]
        const t0 = performance.now()
        try {
          await pool.query(INSERT, values)
          latencies.push(performance.now() - t0)
        } catch (err) {
          failures++
          firstError ??= (err as Error).message
        }
      }
    }
    await Promise.all(Array.from({ length: options.connections }, loop))
    const seconds = (performance.now() - started) / 1000
    const rows = latencies.length
    await pool.query(`DELETE FROM lead WHERE created_by = 'baseline'`)
    return {
      rows,
      seconds,
      perSecond: rows / seconds,
      latency: summarise(latencies.values()),
      failures,
      firstError,
    }
  } finally {
    await pool.end()
  }
}
