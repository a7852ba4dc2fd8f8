/*
 * `npm run bench:crm`: how fast the CRM's read paths answer on a populated database, next to
 * the bare query each one is built on, measured in the same run:
 *
 *   account timeline (its own, its contacts', its deals' and its leads' entries, one page)
 *        vs. one page of the account's own entries by the (account_id, occurred_at) index
 *   pipeline report (a quarter, grouped and folded to today's forecast categories)
 *        vs. SELECT count(*), sum(amount) over the same opportunities
 *   funnel and SDR performance reports (90 days of leads)
 *        vs. SELECT count(*) over the same leads
 *
 * It prints figures and ratios; it is not a test and fails on nothing.
 *
 *   SEED_LEADS=200000    leads (seeded set-based, as bench:ingest does)
 *   ACCOUNTS=5000        accounts, each with 4 contacts and 3 opportunities
 *   ACTIVITIES=1000000   timeline entries spread over accounts, contacts, deals and leads
 *   SAMPLES=300          timed calls of each timeline query (reports: SAMPLES / 10)
 *   DATABASE_URL         a DISPOSABLE database to use; unset: a fresh embedded PostgreSQL
 */
import pg from 'pg'
import { funnelReport } from '../crm/reports/funnel.report.js'
import { pipelineReport } from '../crm/reports/pipeline.report.js'
import { reportWindow } from '../crm/reports/report-window.js'
import { sdrPerformanceReport } from '../crm/reports/sdr-performance.report.js'
import { timelineRows } from '../crm/timeline.js'
import { createPrisma, type Db } from '../platform/database/prisma.js'
import { systemPrincipal } from '../security/principal.js'
import { runBenchmark, type Cleanup } from './support/cleanup.js'
import { provisionDatabase, seedLeads } from './support/database.js'
import { intEnv } from './support/env.js'
import { ms, summarise, type Latency } from './support/stats.js'

const settings = {
  seedLeads: intEnv('SEED_LEADS', 200_000),
  accounts: intEnv('ACCOUNTS', 5_000),
  activities: intEnv('ACTIVITIES', 1_000_000),
  samples: intEnv('SAMPLES', 300),
}
const SDRS = 20

/** Users, accounts, contacts, deals and activities, set-based in a few statements. */
async function seedCrm(client: pg.Client): Promise<void> {
  const started = performance.now()
  await client.query(`
    INSERT INTO app_user (id, name, email, role, updated_at)
    SELECT 'bench-sdr-' || n, 'SDR ' || n, 'sdr' || n || '@bench.invalid', 'sdr', now()
      FROM generate_series(1, ${SDRS}) n
    ON CONFLICT DO NOTHING`)
  // Leads get owners and contact times, so the SDR report has work to aggregate.
  await client.query(`
    UPDATE lead SET owner_id = 'bench-sdr-' || (1 + abs(hashtext(id::text)) % ${SDRS}),
           contacted_at = CASE WHEN abs(hashtext(id::text)) % 3 = 0
                               THEN created_at + interval '2 hours' END
     WHERE owner_id IS NULL`)
  await client.query(`
    INSERT INTO account (id, name, type, owner_id, lifecycle_stage, updated_at, created_by, updated_by)
    SELECT ('00000000-0000-7000-8000-' || lpad(to_hex(n), 12, '0'))::uuid, 'Bench account ' || n,
           'customer', 'bench-sdr-' || (1 + n % ${SDRS}), 'Customer', now(), 'bench', 'bench'
      FROM generate_series(1, ${settings.accounts}) n`)
  // Each account's first contact was a converted lead, so the account timeline has leads to reach.
  await client.query(`
    WITH a AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM account),
         l AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM lead)
    INSERT INTO contact (id, account_id, lead_id, first_name, last_name, updated_at, created_by, updated_by)
    SELECT gen_random_uuid(), a.id, CASE WHEN c = 1 THEN l.id END, 'First', 'Last ' || c, now(), 'bench', 'bench'
      FROM a LEFT JOIN l ON l.n = a.n, generate_series(1, 4) c`)
  await client.query(`
    INSERT INTO opportunity (id, account_id, name, amount, currency, stage, probability, forecast_category,
                             close_date, owner_id, updated_at, created_by, updated_by)
    SELECT gen_random_uuid(), a.id, 'Deal ' || d, 10000 + (abs(hashtext(a.id::text || d)) % 900000),
           CASE WHEN d = 3 THEN 'USD' ELSE 'INR' END,
           (ARRAY['qualification','needs_analysis','proposal','negotiation','closed_won','closed_lost'])[1 + abs(hashtext(a.id::text || d)) % 6],
           (ARRAY[10,25,50,75,100,0])[1 + abs(hashtext(a.id::text || d)) % 6], 'pipeline',
           current_date + (abs(hashtext(d || a.id::text)) % 180) - 60, a.owner_id, now(), 'bench', 'bench'
      FROM account a, generate_series(1, 3) d`)
  // Activities: a quarter each on the account itself, a contact, a deal and the converted lead.
  await client.query(`
    CREATE TEMP TABLE bench_targets AS
    SELECT row_number() OVER (ORDER BY a.id) AS n, a.id AS account_id,
           (SELECT c.id FROM contact c WHERE c.account_id = a.id LIMIT 1) AS contact_id,
           (SELECT o.id FROM opportunity o WHERE o.account_id = a.id LIMIT 1) AS opportunity_id,
           (SELECT c.lead_id FROM contact c WHERE c.account_id = a.id AND c.lead_id IS NOT NULL LIMIT 1) AS lead_id
      FROM account a`)
  await client.query('CREATE INDEX ON bench_targets (n)')
  await client.query(`
    INSERT INTO activity (id, kind, direction, subject, account_id, contact_id, opportunity_id, lead_id,
                          occurred_at, actor_id)
    SELECT gen_random_uuid(), (ARRAY['call','email','meeting','note'])[1 + g % 4], 'outbound', 'Bench',
           CASE WHEN g % 4 = 0 THEN t.account_id END, CASE WHEN g % 4 = 1 THEN t.contact_id END,
           CASE WHEN g % 4 = 2 THEN t.opportunity_id END, CASE WHEN g % 4 = 3 THEN t.lead_id END,
           now() - (g % 400) * interval '1 day' - (g % 1440) * interval '1 minute',
           'user:bench-sdr-' || (1 + g % ${SDRS})
      FROM generate_series(1, ${settings.activities}) g
      JOIN bench_targets t ON t.n = 1 + g % ${settings.accounts}`)
  await client.query('VACUUM (ANALYZE) account, contact, opportunity, activity, lead, app_user')
  console.log(`seeded the CRM in ${((performance.now() - started) / 1000).toFixed(1)} s`)
}

async function time(samples: number, run: (i: number) => Promise<unknown>): Promise<Latency> {
  for (let i = 0; i < Math.min(20, samples); i++) await run(i) // warm caches and plans
  const took: number[] = []
  for (let i = 0; i < samples; i++) {
    const t = performance.now()
    await run(i)
    took.push(performance.now() - t)
  }
  return summarise(took)
}

interface Row {
  what: string
  measured: Latency
  baselineName: string
  baseline: Latency
}

function print(rows: Row[]): void {
  console.log('\n| Query | p50 | p95 | Baseline (same run) | p50 | p95 | Ratio (p50 / baseline p50) |')
  console.log('| --- | --- | --- | --- | --- | --- | --- |')
  for (const r of rows)
    console.log(
      `| ${r.what} | ${ms(r.measured.p50)} | ${ms(r.measured.p95)} | ${r.baselineName} | ${ms(r.baseline.p50)} | ` +
        `${ms(r.baseline.p95)} | ${(r.measured.p50 / r.baseline.p50).toFixed(1)} |`,
    )
}

async function main(cleanup: Cleanup): Promise<number> {
  const database = await provisionDatabase(cleanup)
  await seedLeads(database.url, settings.seedLeads)
  const client = new pg.Client({ connectionString: database.url })
  await client.connect()
  cleanup.add('close the seed connection', () => client.end())
  if (Number((await client.query('SELECT count(*) AS n FROM account')).rows[0].n) === 0) await seedCrm(client)
  const db: Db = createPrisma(database.url, 4)
  cleanup.add('close Prisma', () => db.$disconnect())

  const accounts = (await client.query<{ id: string }>('SELECT id FROM account ORDER BY id')).rows.map(
    (r) => r.id,
  )
  const pick = (i: number) => accounts[(i * 7919) % accounts.length]!
  const rows: Row[] = []

  rows.push({
    what: 'account timeline, page of 50',
    measured: await time(settings.samples, (i) =>
      timelineRows(db, { kind: 'account', id: pick(i) }, { limit: 50 }),
    ),
    baselineName: "the account's own entries, page of 50",
    baseline: await time(
      settings.samples,
      (i) => db.$queryRaw`SELECT id, kind, occurred_at FROM activity WHERE account_id = ${pick(i)}::uuid
                          ORDER BY occurred_at DESC, id DESC LIMIT 51`,
    ),
  })

  const now = new Date()
  const quarter = reportWindow({}, 'Asia/Kolkata', now)
  const days90 = reportWindow(
    { from: new Date(now.getTime() - 90 * 86_400_000).toISOString().slice(0, 10) },
    'Asia/Kolkata',
    now,
  )
  const reportSamples = Math.max(5, Math.floor(settings.samples / 10))
  // Reports as a role that sees everything: the unfiltered aggregate, as before row-level access.
  const everyone = systemPrincipal(db, 'bench:crm')
  const opportunityBaseline = await time(
    reportSamples,
    () => db.$queryRaw`SELECT count(*), sum(amount) FROM opportunity
                        WHERE close_date >= ${quarter.from}::date AND close_date <= ${quarter.to}::date`,
  )
  rows.push({
    what: `pipeline report (${quarter.from}..${quarter.to})`,
    measured: await time(reportSamples, () => pipelineReport(db, everyone, quarter, {})),
    baselineName: 'count + sum of those opportunities',
    baseline: opportunityBaseline,
  })
  const leadBaseline = await time(
    reportSamples,
    () =>
      db.$queryRaw`SELECT count(*) FROM lead WHERE created_at >= ${days90.start} AND created_at < ${days90.end}`,
  )
  rows.push({
    what: 'funnel report (90 days)',
    measured: await time(reportSamples, () => funnelReport(db, everyone, days90)),
    baselineName: 'count of those leads',
    baseline: leadBaseline,
  })
  rows.push({
    what: 'SDR performance report (90 days)',
    measured: await time(reportSamples, () => sdrPerformanceReport(db, everyone, days90, {}, now)),
    baselineName: 'count of those leads',
    baseline: leadBaseline,
  })

  const counts = (
    await client.query(
      `SELECT (SELECT count(*) FROM lead) AS leads, (SELECT count(*) FROM account) AS accounts,
              (SELECT count(*) FROM opportunity) AS opportunities, (SELECT count(*) FROM activity) AS activities`,
    )
  ).rows[0]
  console.log(
    `\ndatabase: ${Number(counts.leads).toLocaleString()} leads, ${Number(counts.accounts).toLocaleString()} accounts, ` +
      `${Number(counts.opportunities).toLocaleString()} opportunities, ${Number(counts.activities).toLocaleString()} activities`,
  )
  print(rows)
  return 0
}

await runBenchmark(main)
