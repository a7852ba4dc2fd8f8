import { mkdir, readFile, rename, rmdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Client } from '@temporalio/client'
import { expect } from 'vitest'
import type { Db } from '../../platform/database/prisma.js'

/*
 * What the exactly-once proofs share: firing one delivery many times at once, reading the
 * ledgers, checking a journey in Temporal, and the figures for the closing note. The proof
 * files are split by entry point (webhooks, listeners and imports, one master per person)
 * so each stays well under a minute; they all report into one JSON file.
 */

export const STORM = 100

/** Fires `n` sends in the same tick: they overlap in the app and in PostgreSQL. */
export function storm<T>(send: (i: number) => Promise<T>, n = STORM): Promise<T[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => send(i)))
}

/** One row of the delivery ledger (inbound_delivery), by the channel's natural key. */
export function ledgerRow(db: Db, connectorId: string, deliveryKey: string) {
  return db.inboundDelivery.findUniqueOrThrow({
    where: { connectorId_deliveryKey: { connectorId, deliveryKey } },
  })
}

/** The whole database's counts a delivery could move, to compare before and after a storm. */
export async function snapshot(db: Db) {
  const [row] = await db.$queryRaw<
    {
      leads: bigint
      masters: bigint
      captured: bigint
      deliveries: bigint
      duplicates: bigint
      replays: bigint
    }[]
  >`
    SELECT (SELECT count(*) FROM lead) AS leads,
           (SELECT count(*) FROM lead WHERE NOT is_duplicate) AS masters,
           (SELECT count(*) FROM outbox_event WHERE topic = 'lead.captured') AS captured,
           (SELECT count(*) FROM inbound_delivery) AS deliveries,
           (SELECT coalesce(sum(duplicates), 0) FROM inbound_delivery) AS duplicates,
           (SELECT coalesce(sum(replays), 0) FROM idempotency_key) AS replays`
  return {
    leads: Number(row!.leads),
    masters: Number(row!.masters),
    captured: Number(row!.captured),
    deliveries: Number(row!.deliveries),
    duplicates: Number(row!.duplicates),
    replays: Number(row!.replays),
  }
}
export type Snapshot = Awaited<ReturnType<typeof snapshot>>

export function delta(before: Snapshot, after: Snapshot): Snapshot {
  const out = { ...after }
  for (const k of Object.keys(out) as (keyof Snapshot)[]) out[k] = after[k] - before[k]
  return out
}

/** The journey's start: the lead.captured outbox events of a lead (the relay turns each into lead/<id>). */
export function journeyStarts(db: Db, leadId: string) {
  return db.outboxEvent.count({ where: { topic: 'lead.captured', aggregateId: leadId } })
}

/** The journey signals one activity produced (lead.engaged carries the activity's id). */
export async function engagementSignals(db: Db, activityId: string): Promise<number> {
  const [row] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM outbox_event
     WHERE topic = 'lead.engaged' AND payload->>'activityId' = ${activityId}`
  return Number(row!.n)
}

/** Waits for the relay to start `lead/<leadId>` on the worker; returns 1 once Temporal has it. */
export async function journeyInTemporal(temporal: Client, leadId: string): Promise<number> {
  const handle = temporal.workflow.getHandle(`lead/${leadId}`)
  await expect
    .poll(async () => (await handle.describe().catch(() => undefined))?.type, {
      timeout: 30_000,
      interval: 100,
    })
    .toBe('leadJourney')
  return 1
}

export interface ChannelFigures {
  channel: string
  /** How the deliveries went in (the channel's real entry point). */
  entryPoint: string
  /** The natural key the channel's deliveries carried. */
  deliveryKey: string
  deliveriesSent: number
  /** Deliveries answered as accepted (2xx, or the handler resolving). */
  accepted: number
  leadsCreated: number
  /** Timeline entries on a known lead (the delivery was an interaction, not a new lead). */
  activitiesCreated: number
  /** lead.captured outbox events: the journey each new master gets. */
  journeysStarted: number
  /** Journeys found in Temporal as lead/<leadId> (null where the file runs no worker). */
  journeysInTemporal: number | null
  /** inbound_delivery.duplicates (or idempotency_key.replays) for the key. */
  duplicatesRecorded: number
  /** SDR tasks opened (a missed call's call-back). */
  tasksCreated?: number
  /** Hand-overs the listener tried again after a passing fault (none wrote anything). */
  triedAgain?: number
}

const RESULTS = path.resolve('test-results/guarantees')
const FIGURES = path.join(RESULTS, 'exactly-once.json')
const LOCK = path.join(RESULTS, 'exactly-once.lock')

/**
 * Merges one proof file's figures into test-results/guarantees/exactly-once.json (an object
 * section is merged key by key, so each file adds its channels). The files run in parallel,
 * so the read-merge-write holds a lock: an atomic mkdir, taken over after ~5 s from a killed run.
 */
export async function writeFigures(section: string, figures: Record<string, unknown>): Promise<void> {
  await mkdir(RESULTS, { recursive: true })
  for (let attempt = 0; ; attempt++) {
    try {
      await mkdir(LOCK)
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      if (attempt >= 100) await rmdir(LOCK).catch(() => undefined)
      else await new Promise((r) => setTimeout(r, 50))
    }
  }
  try {
    const current = JSON.parse(await readFile(FIGURES, 'utf-8').catch(() => '{}')) as Record<
      string,
      Record<string, unknown> | string
    >
    const earlier = current[section]
    current[section] = { ...(typeof earlier === 'object' ? earlier : {}), ...figures }
    current['updatedAt'] = new Date().toISOString()
    const tmp = `${FIGURES}.${process.pid}.tmp`
    await writeFile(tmp, `${JSON.stringify(current, null, 2)}\n`)
    await rename(tmp, FIGURES)
  } finally {
    await rmdir(LOCK).catch(() => undefined)
  }
}
