import { trigramSimilarity, type MatchReason } from '../../domain/dedupe/match-keys.rules.js'
import type { Assessment } from '../steps/assess.js'

/** A row that passed the pure steps, with its place in the file and its delivery key. */
export interface PreparedRow {
  rowNumber: number
  /** The delivery key claimed in inbound_delivery (`<file hash>:<row number>` for imports). */
  key: string
  /** The row as read, stored as the lead's raw capture. */
  raw: unknown
  assessment: Assessment
}

/** A lead that already holds a match key, as the database (or an earlier batch) knows it. */
export interface KeyOwner {
  masterId: string
  /** Milliseconds; the single path picks the oldest owner of any of the capture's keys. */
  createdAt: number
  /** The master was created from this same file (an earlier batch, or an earlier row). */
  inFile: boolean
}

/** A same-company master whose name looks alike (pg_trgm similarity), from the database. */
export interface FuzzyCandidate {
  id: string
  similarity: number
  createdAt: number
  inFile: boolean
}

export type DuplicateOrigin = 'file' | 'database'

export type Placement =
  | { kind: 'new'; id: string; possibleDuplicates: { id: string; similarity: number }[] }
  | {
      kind: 'duplicate'
      id: string
      masterId: string
      reason: MatchReason
      origin: DuplicateOrigin
      possibleDuplicates: { id: string; similarity: number }[]
    }
  /** onDuplicate 'skip': a person already in the database is left alone; nothing is written. */
  | { kind: 'skip'; masterId: string; reason: MatchReason }

export interface ResolveOptions {
  /** Exact key owners found in the database for the batch's keys. */
  owners: ReadonlyMap<string, KeyOwner>
  /** Database fuzzy candidates by index in `rows` (asked only for rows without an exact owner). */
  fuzzy: ReadonlyMap<number, FuzzyCandidate[]>
  onDuplicate: 'link' | 'skip'
  fuzzySuggestThreshold: number
  fuzzyLinkThreshold: number
  /** The batch's clock: masters created by this batch are younger than every stored lead. */
  now: number
  newId: () => string
}

interface BatchMaster {
  id: string
  fuzzyKey: string
  companyKey: string
}

/**
 * Places each row of a batch as the single path would have placed it had the rows been
 * captured one by one in file order (persistCapture's findMatches and its duplicate rules):
 * an exact key owned by a stored lead or by an earlier row makes the row a duplicate of the
 * oldest such master; failing that, a same-company master whose name + company is at least
 * `fuzzyLinkThreshold` alike. Earlier rows count as stored leads: a master created by row 3
 * owns its keys for row 9, and a duplicate's new contact points become its master's keys.
 *
 * Pure: the caller reads `owners` and `fuzzy` from the database in one query each.
 */
export function resolveRows(rows: readonly PreparedRow[], options: ResolveOptions): Placement[] {
  const owners = new Map(options.owners)
  const batchMasters = new Map<string, BatchMaster[]>()
  const placements: Placement[] = []

  rows.forEach((row, index) => {
    const a = row.assessment
    let exact: { owner: KeyOwner; key: string } | undefined
    for (const key of a.matchKeys) {
      const owner = owners.get(key)
      if (!owner) continue
      if (
        !exact ||
        owner.createdAt < exact.owner.createdAt ||
        (owner.createdAt === exact.owner.createdAt && owner.masterId < exact.owner.masterId)
      ) {
        exact = { owner, key }
      }
    }

    let master: { id: string; inFile: boolean; createdAt: number; reason: MatchReason } | undefined
    let possibleDuplicates: { id: string; similarity: number; createdAt: number; inFile: boolean }[] = []
    if (exact) {
      master = {
        id: exact.owner.masterId,
        inFile: exact.owner.inFile,
        createdAt: exact.owner.createdAt,
        reason: { kind: exact.key.startsWith('email:') ? 'email' : 'phone', key: exact.key },
      }
    } else if (a.fuzzyKey !== null && a.companyKey !== null) {
      const fuzzyKey = a.fuzzyKey
      const inBatch = (batchMasters.get(a.companyKey) ?? [])
        .map((m) => ({
          id: m.id,
          similarity: trigramSimilarity(fuzzyKey, m.fuzzyKey),
          createdAt: options.now,
          inFile: true,
        }))
        .filter((c) => c.similarity >= options.fuzzySuggestThreshold)
      possibleDuplicates = [...(options.fuzzy.get(index) ?? []), ...inBatch]
        .sort((x, y) => y.similarity - x.similarity || x.createdAt - y.createdAt)
        .slice(0, 5)
      const best = possibleDuplicates[0]
      if (best && best.similarity >= options.fuzzyLinkThreshold) {
        master = {
          id: best.id,
          inFile: best.inFile,
          createdAt: best.createdAt,
          reason: { kind: 'fuzzy', key: fuzzyKey, similarity: best.similarity },
        }
      }
    }
    const suggestions = possibleDuplicates.map((p) => ({ id: p.id, similarity: p.similarity }))

    if (master) {
      const origin: DuplicateOrigin = master.inFile ? 'file' : 'database'
      if (origin === 'database' && options.onDuplicate === 'skip') {
        placements.push({ kind: 'skip', masterId: master.id, reason: master.reason })
        return
      }
      const masterOwner: KeyOwner = {
        masterId: master.id,
        createdAt: master.createdAt,
        inFile: master.inFile,
      }
      // A duplicate's new contact points become its master's keys (persistCapture does the same).
      for (const key of a.matchKeys) if (!owners.has(key)) owners.set(key, masterOwner)
      placements.push({
        kind: 'duplicate',
        id: options.newId(),
        masterId: master.id,
        reason: master.reason,
        origin,
        possibleDuplicates: suggestions,
      })
      return
    }

    const id = options.newId()
    const owner: KeyOwner = { masterId: id, createdAt: options.now, inFile: true }
    for (const key of a.matchKeys) owners.set(key, owner)
    if (a.fuzzyKey !== null && a.companyKey !== null) {
      const list = batchMasters.get(a.companyKey) ?? []
      list.push({ id, fuzzyKey: a.fuzzyKey, companyKey: a.companyKey })
      batchMasters.set(a.companyKey, list)
    }
    placements.push({ kind: 'new', id, possibleDuplicates: suggestions })
  })
  return placements
}
