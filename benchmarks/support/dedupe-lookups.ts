import pg from 'pg'
import { seedLead } from './seed-data.js'
import { Samples, summarise, type Latency } from './stats.js'
import { seededRandom } from './seeded-random.js'

export interface LookupResult {
  exact: Latency & { found: number }
  fuzzy: Latency & { found: number }
  /** EXPLAIN ANALYZE of one fuzzy lookup, summarised: why it costs what it costs. */
  fuzzyPlan: string
}

interface PlanNode {
  'Node Type': string
  'Index Name'?: string
  'Actual Rows'?: number
  'Rows Removed by Index Recheck'?: number
  'Shared Hit Blocks'?: number
  'Shared Read Blocks'?: number
  Plans?: PlanNode[]
}

function describePlan(plan: { Plan: PlanNode; 'Execution Time': number }): string {
  const nodes: string[] = []
  let recheck = 0
  const walk = (node: PlanNode) => {
    nodes.push(node['Index Name'] ? `${node['Node Type']} on ${node['Index Name']}` : node['Node Type'])
    if (node['Node Type'] === 'Bitmap Index Scan')
      nodes.push(`(${node['Actual Rows'] ?? '?'} candidate rows)`)
    recheck += node['Rows Removed by Index Recheck'] ?? 0
    for (const child of node.Plans ?? []) walk(child)
  }
  walk(plan.Plan)
  const blocks = (plan.Plan['Shared Hit Blocks'] ?? 0) + (plan.Plan['Shared Read Blocks'] ?? 0)
  return `${nodes.join(' > ')}; ${recheck} rows removed by recheck; ${blocks} buffers; ${plan['Execution Time'].toFixed(1)} ms`
}

/** One typo, as people make them: two letters swapped, one dropped, or one doubled. */
function misspell(text: string, rnd: () => number): string {
  const name = text.split('|')[0] ?? text
  const i = 1 + Math.floor(rnd() * Math.max(1, name.length - 2))
  const kind = Math.floor(rnd() * 3)
  if (kind === 0 && name[i] !== ' ' && name[i + 1] && name[i + 1] !== ' ')
    return text.slice(0, i) + text[i + 1] + text[i] + text.slice(i + 2)
  if (kind === 1 && name[i] !== ' ') return text.slice(0, i) + text.slice(i + 1)
  return text.slice(0, i) + text[i] + text.slice(i)
}

/** The capture-time fuzzy query (ingestion/persist.ts): names compared within the company block. */
const FUZZY_SQL = `SELECT id, similarity FROM (
    SELECT id, created_at, similarity(fuzzy_key, $1)::float8 AS similarity FROM lead
     WHERE company_key = $2 AND NOT is_duplicate) c
  WHERE similarity >= 0.6 ORDER BY similarity DESC, created_at LIMIT 5`
const companyOf = (fuzzyKey: string) => fuzzyKey.slice(fuzzyKey.indexOf('|') + 1)

/**
 * Duplicate lookups against the seeded population, one at a time on one connection (what a
 * capture pays inside its transaction): the exact match-key probe (email + phone key) and the
 * pg_trgm fuzzy probe on "first last|company" with one typo in the name, within the company block, at
 * the ingestion threshold (0.6).
 * `found` counts lookups that returned the seeded lead they were aimed at.
 */
export async function measureLookups(
  url: string,
  seeded: number,
  count: number,
  /** Per kind: a slow kind stops early and reports the lookups it made. */
  budgetMs = 60_000,
): Promise<LookupResult> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const rnd = seededRandom(42)
    const targets = Array.from({ length: count }, () => seedLead(1 + Math.floor(rnd() * seeded)))
    const ids = new Map<number, string>()
    // The ids the lookups should find (read once, untimed).
    const idRows = await client.query<{ key: string; lead_id: string }>(
      'SELECT key, lead_id FROM lead_match_key WHERE key = ANY($1::text[])',
      [targets.map((t) => `email:${t.email}`)],
    )
    const byEmail = new Map(idRows.rows.map((r) => [r.key, r.lead_id]))
    for (const t of targets) ids.set(t.n, byEmail.get(`email:${t.email}`) ?? '')

    const exact = new Samples()
    let exactFound = 0
    let deadline = performance.now() + budgetMs
    for (const t of targets) {
      if (performance.now() > deadline) break
      const t0 = performance.now()
      const res = await client.query<{ lead_id: string }>(
        'SELECT lead_id FROM lead_match_key WHERE key = ANY($1::text[])',
        [[`email:${t.email}`, `phone:${t.phone}`]],
      )
      exact.push(performance.now() - t0)
      if (res.rows.some((r) => r.lead_id === ids.get(t.n))) exactFound++
    }

    const fuzzy = new Samples()
    let fuzzyFound = 0
    deadline = performance.now() + budgetMs
    for (const t of targets) {
      if (performance.now() > deadline) break
      const key = misspell(t.fuzzyKey, rnd)
      const t0 = performance.now()
      const res = await client.query<{ id: string; similarity: number }>(FUZZY_SQL, [
        key,
        companyOf(t.fuzzyKey),
      ])
      fuzzy.push(performance.now() - t0)
      if (res.rows.some((r) => r.id === ids.get(t.n))) fuzzyFound++
    }
    const probe = targets[0]?.fuzzyKey ?? 'a b|c'
    const explained = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number }] }>(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${FUZZY_SQL}`,
      [misspell(probe, rnd), companyOf(probe)],
    )
    const plan = explained.rows[0]?.['QUERY PLAN'][0]
    return {
      fuzzyPlan: plan ? describePlan(plan) : 'n/a',
      exact: { ...summarise(exact.values()), found: exactFound },
      fuzzy: { ...summarise(fuzzy.values()), found: fuzzyFound },
    }
  } finally {
    await client.end()
  }
}
