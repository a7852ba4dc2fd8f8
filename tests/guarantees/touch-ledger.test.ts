import { mkdir, writeFile } from 'node:fs/promises'
import { afterAll, describe, expect, it } from 'vitest'
import { ERASED } from '../../security/privacy/needles.js'
import { useTestApp } from '../support/app.js'

/*
 * Proof of attribution from an immutable touch ledger (issue 10, item 6), through the real API
 * on a real PostgreSQL. Lead A came from a Google ad on 1 January, lead B from WhatsApp on
 * 3 January; they are the same person and get merged, once with A surviving and once with B.
 * Either way the first touch is Google on 1 January and the last WhatsApp on 3 January, every
 * touch row of both leads is still there byte for byte, and the attribution report credits the
 * one person the same way. The ledger itself refuses UPDATE and DELETE from the app's own
 * database connection (a trigger, migration `guarantees`), except erasure's scrub of the text.
 */

const ctx = useTestApp({ truncateAfterEach: true })
const figures: Record<string, unknown> = {}

afterAll(async () => {
  await mkdir('test-results/guarantees', { recursive: true })
  await writeFile('test-results/guarantees/touch-ledger.json', `${JSON.stringify(figures, null, 2)}\n`)
})

const GOOGLE_AD =
  'https://pumps.example/offer?utm_source=google&utm_medium=cpc&utm_campaign=new-year-pumps&utm_term=borewell+pump&utm_content=anil%40anil-traders.in&gclid=EAIaIQ'
const JAN_1 = '2026-01-01T10:00:00.000Z'
const JAN_3 = '2026-01-03T10:00:00.000Z'

async function api<T>(method: 'GET' | 'POST', url: string, payload?: object): Promise<T> {
  const res = await ctx.app.inject({ method, url, ...(payload === undefined ? {} : { payload }) })
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300)
  return res.json<T>()
}

/** The same person twice: a Google ad form on 1 January, a WhatsApp message on 3 January. */
async function captureBoth() {
  const a = await api<{ id: string; outcome: string }>('POST', '/v1/leads', {
    channel: 'web_form',
    firstName: 'Anil',
    email: 'anil@anil-traders.in',
    attribution: { landingPage: GOOGLE_AD },
    receivedAt: JAN_1,
  })
  const b = await api<{ id: string; outcome: string }>('POST', '/v1/leads', {
    channel: 'whatsapp',
    phone: '+91 90000 12345',
    company: 'Anil Traders',
    receivedAt: JAN_3,
  })
  // Nothing ties the two automatically (no shared email or phone): a person merges them.
  expect([a.outcome, b.outcome]).toEqual(['created', 'created'])
  return { a: a.id, b: b.id }
}

/** Every column of the leads' touch rows, as PostgreSQL holds them. */
const ledgerOf = (leadIds: string[]) =>
  ctx.database.db.$queryRaw<Record<string, unknown>[]>`
    SELECT id::text, lead_id::text, channel, source, medium, campaign, term, content, referrer, landing_page,
           occurred_at, recorded_at
      FROM touch WHERE lead_id = ANY(${leadIds}::uuid[]) ORDER BY id`

type Touch = { channel: string; source: string; medium: string; campaign: string | null; occurredAt: string }
type Attribution = { firstTouch: Touch | null; lastTouch: Touch | null; touches: number }
const attributionOf = async (leadId: string) =>
  (await api<{ attribution: Attribution }>('GET', `/v1/leads/${leadId}`)).attribution

type Report = { rows: { source: string; leads: number }[]; totals: { leads: number } }
/** The attribution report by source for this quarter (the leads were created now), first or last touch. */
async function bySource(model: 'first' | 'last') {
  const r = await api<Report>('GET', `/v1/reports/attribution?model=${model}&groupBy=source`)
  return { rows: r.rows.map((row) => ({ source: row.source, leads: row.leads })), leads: r.totals.leads }
}

const FIRST = {
  channel: 'web_form',
  source: 'google',
  medium: 'cpc',
  campaign: 'new-year-pumps',
  occurredAt: JAN_1,
}
const LAST = { channel: 'whatsapp', occurredAt: JAN_3 }

const afterMerge: Record<string, unknown> = {}

describe('first and last touch come from the ledger, whichever record survives a merge', () => {
  for (const survivor of ['A', 'B'] as const) {
    it(`merging the two with ${survivor} surviving: first touch Google on 1 January, last touch WhatsApp on 3 January`, async () => {
      const { a, b } = await captureBoth()
      const [master, duplicate] = survivor === 'A' ? [a, b] : [b, a]
      const ledgerBefore = await ledgerOf([a, b])
      expect(ledgerBefore).toHaveLength(2)
      const reportBefore = { first: await bySource('first'), last: await bySource('last') }
      expect(reportBefore.first.leads).toBe(2)
      expect(await attributionOf(a)).toMatchObject({ firstTouch: FIRST, lastTouch: FIRST, touches: 1 })

      const merged = await api<{ masterId: string; duplicateId: string }>(
        'POST',
        `/v1/leads/${master}/merge`,
        {
          duplicateId: duplicate,
        },
      )
      expect(merged).toMatchObject({ masterId: master, duplicateId: duplicate })

      const attribution = await attributionOf(master)
      expect(attribution).toMatchObject({ firstTouch: FIRST, lastTouch: LAST, touches: 2 })
      // Both touches are still there, on the leads they were recorded for, unchanged in every column.
      expect(await ledgerOf([a, b])).toEqual(ledgerBefore)

      // The report counts the person once, credited to Google first and WhatsApp last.
      const report = { first: await bySource('first'), last: await bySource('last') }
      expect(report.first).toEqual({ rows: [{ source: 'google', leads: 1 }], leads: 1 })
      expect(report.last.leads).toBe(1)
      expect(report.last.rows).toEqual([{ source: attribution.lastTouch!.source, leads: 1 }])
      afterMerge[survivor] = report
      // The same figures whichever lead survived.
      if (survivor === 'B') expect(afterMerge['B']).toEqual(afterMerge['A'])

      const touch = ({ channel, source, medium, campaign, occurredAt }: Touch) => ({
        channel,
        source,
        medium,
        campaign,
        occurredAt,
      })
      figures[`${survivor} survives`] = {
        firstTouch: touch(attribution.firstTouch!),
        lastTouch: touch(attribution.lastTouch!),
        touchesBefore: ledgerBefore.length,
        touchesAfter: (await ledgerOf([a, b])).length,
        touchRowsUnchanged: true,
        attributionBefore: reportBefore,
        attributionAfter: report,
      }
    })
  }
})

describe('the ledger is append-only', () => {
  type DriverError = {
    meta?: { driverAdapterError?: { cause?: { originalCode?: string; originalMessage?: string } } }
  }
  /** PostgreSQL's refusal (SQLSTATE and message), as the app's own connection receives it. */
  const refusal = (call: Promise<unknown>) =>
    call.then(
      () => 'accepted',
      (err: unknown) => {
        // Prisma's model calls name the error by their own code (P2003); the driver keeps PostgreSQL's.
        const cause = (err as DriverError).meta?.driverAdapterError?.cause
        return cause ? `${cause.originalCode} ${cause.originalMessage}` : String((err as Error).message)
      },
    )

  it('refuses UPDATE and DELETE from the app’s database connection, in SQL and through Prisma', async () => {
    const db = ctx.database.db
    const { a } = await captureBoth()
    const [row] = await ledgerOf([a])
    const id = BigInt(row!['id'] as string)
    const attempts = {
      sqlUpdate: await refusal(db.$executeRaw`UPDATE touch SET source = 'linkedin' WHERE id = ${id}`),
      sqlDelete: await refusal(db.$executeRaw`DELETE FROM touch WHERE id = ${id}`),
      prismaUpdate: await refusal(db.touch.update({ where: { id }, data: { campaign: 'moved' } })),
      prismaDeleteMany: await refusal(db.touch.deleteMany({ where: { leadId: a } })),
      // Even inside an erasure's transaction a touch is never deleted, and never moved to
      // another lead, channel or time: erasure may only blank its text.
      erasingDelete: await refusal(
        db.$transaction(async (tx) => {
          await tx.$queryRaw`SELECT set_config('leadwire.erasing', 'on', true)`
          await tx.$executeRaw`DELETE FROM touch WHERE id = ${id}`
        }),
      ),
      erasingMoveTime: await refusal(
        db.$transaction(async (tx) => {
          await tx.$queryRaw`SELECT set_config('leadwire.erasing', 'on', true)`
          await tx.$executeRaw`UPDATE touch SET occurred_at = now() WHERE id = ${id}`
        }),
      ),
    }
    expect(attempts.sqlUpdate).toContain('touch is append-only: rows are never updated')
    expect(attempts.prismaUpdate).toBe('23001 touch is append-only: rows are never updated')
    expect(attempts.sqlDelete).toContain('touch is append-only: rows are never deleted')
    expect(attempts.prismaDeleteMany).toBe('23001 touch is append-only: rows are never deleted')
    expect(attempts.erasingDelete).toContain('touch is append-only: rows are never deleted')
    expect(attempts.erasingMoveTime).toContain('erasure may only scrub')
    expect(await ledgerOf([a])).toEqual([row])
    figures['refused'] = Object.keys(attempts)
  })

  it('lets erasure scrub a touch’s text and nothing else, and only inside the erasure', async () => {
    const { a, b } = await captureBoth()
    const [before] = await ledgerOf([a])
    // An email-tracking link carried the address in utm_content: the ledger holds it in clear.
    expect(before).toMatchObject({
      term: 'borewell pump',
      content: 'anil@anil-traders.in',
      landing_page: GOOGLE_AD,
    })

    await api('POST', '/v1/privacy/erasures', { leadId: a })
    const after = await ledgerOf([a])
    expect(after).toHaveLength(1)
    // Attribution keeps its dimensions and time, so reports keep their counts; the URLs and the
    // text that named the person go.
    expect(after[0]).toEqual({ ...before, content: ERASED, referrer: null, landing_page: null })
    expect((await bySource('first')).rows).toEqual(expect.arrayContaining([{ source: 'google', leads: 1 }]))
    // The permission was the erasure transaction's own: the app's next UPDATE is refused again.
    const again = await ctx.database.db
      .$executeRaw`UPDATE touch SET term = 'x' WHERE lead_id = ${a}::uuid`.then(
      () => 'accepted',
      (err: unknown) => String((err as Error).message),
    )
    expect(again).toContain('append-only')
    expect(await ledgerOf([b])).toHaveLength(1)
    figures['erasure'] = { touchesKept: after.length, scrubbed: ['content', 'landing_page'] }
  })
})
