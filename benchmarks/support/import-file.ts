import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { fakerEN_IN } from '@faker-js/faker'
import { seedLead, SEED_LISTS } from './seed-data.js'
import { seededRandom } from './seeded-random.js'

/*
 * The benchmark's import file: a lead list as an expo or a purchased list looks, generated
 * from a fixed seed so every run imports the same rows. Most rows are new people; some
 * repeat an earlier row of the file (another spelling of the email, or the same mobile),
 * some are people the database already holds (seed leads, by email or phone), and a few
 * are unusable (no contact point, a broken email).
 */

export interface ImportFileShape {
  rows: number
  /** Share of rows repeating an earlier row of the file. */
  inFileDuplicates: number
  /** Share of rows naming a seeded lead (1..seeded). */
  databaseMatches: number
  /** Share of rows with no contact point or a broken email. */
  invalid: number
  seeded: number
}

export interface ImportFileStats {
  rows: number
  expected: { new: number; inFile: number; database: number; invalid: number }
  bytes: number
}

export const IMPORT_HEADERS = [
  'Name',
  'Email',
  'Mobile',
  'Company Name',
  'Designation',
  'City',
  'State',
  'GSTIN',
]

const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)

const PLACES = [
  ['Pune', 'Maharashtra'],
  ['Mumbai', 'Maharashtra'],
  ['Bengaluru', 'Karnataka'],
  ['Chennai', 'Tamil Nadu'],
  ['Hyderabad', 'Telangana'],
  ['New Delhi', 'Delhi'],
  ['Ahmedabad', 'Gujarat'],
  ['Kolkata', 'West Bengal'],
  ['Jaipur', 'Rajasthan'],
  ['Kochi', 'Kerala'],
] as const

/** Writes the file row by row (memory stays flat at a million rows). */
export async function writeImportFile(file: string, shape: ImportFileShape): Promise<ImportFileStats> {
  const rand = seededRandom(20261124)
  fakerEN_IN.seed(20261124)
  const firstNames = Array.from({ length: 2000 }, () => fakerEN_IN.person.firstName())
  const lastNames = Array.from({ length: 500 }, () => fakerEN_IN.person.lastName())
  const { COMPANY_A, COMPANY_B, TITLES } = SEED_LISTS
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T
  const out = createWriteStream(file)
  let bytes = 0
  const write = async (cells: string[]) => {
    const line = `${cells.map(csvCell).join(',')}\r\n`
    bytes += Buffer.byteLength(line)
    if (!out.write(line)) await once(out, 'drain')
  }
  await write(IMPORT_HEADERS)
  const expected = { new: 0, inFile: 0, database: 0, invalid: 0 }
  // The new people so far (n of each), to repeat one of them.
  let people = 0
  for (let i = 1; i <= shape.rows; i++) {
    const roll = rand()
    const place = pick(PLACES)
    const gst = rand() < 0.3 ? `27AAACN${String(i % 10000).padStart(4, '0')}Q1Z${i % 10}` : ''
    if (roll < shape.invalid) {
      expected.invalid++
      const broken = rand() < 0.5
      await write([
        `${pick(firstNames)} ${pick(lastNames)}`,
        broken ? `broken.${i}.example.in` : '',
        '',
        `${pick(COMPANY_A)} Traders`,
        '',
        place[0],
        place[1],
        '',
      ])
      continue
    }
    if (roll < shape.invalid + shape.databaseMatches) {
      expected.database++
      const seed = seedLead(1 + Math.floor(rand() * shape.seeded))
      const byPhone = rand() < 0.4
      await write([
        `${seed.firstName} ${seed.lastName}`,
        byPhone ? '' : seed.email.toUpperCase(),
        byPhone ? seed.phone.replace('+91', '') : '',
        seed.company,
        pick(TITLES),
        place[0],
        place[1],
        gst,
      ])
      continue
    }
    if (roll < shape.invalid + shape.databaseMatches + shape.inFileDuplicates && people > 0) {
      expected.inFile++
      const n = 1 + Math.floor(rand() * people)
      const person = newPerson(n, firstNames, lastNames, COMPANY_A, COMPANY_B)
      const byPhone = rand() < 0.4
      await write([
        person.name,
        byPhone ? '' : person.email.toUpperCase(),
        byPhone ? `+91 ${person.mobile.slice(0, 5)} ${person.mobile.slice(5)}` : '',
        person.company,
        pick(TITLES),
        place[0],
        place[1],
        gst,
      ])
      continue
    }
    people++
    expected.new++
    const person = newPerson(people, firstNames, lastNames, COMPANY_A, COMPANY_B)
    await write([
      person.name,
      person.email,
      person.mobile,
      person.company,
      pick(TITLES),
      place[0],
      place[1],
      gst,
    ])
  }
  out.end()
  await once(out, 'finish')
  return { rows: shape.rows, expected, bytes }
}

/** New person n: a pure function of n, so an in-file repeat can be written without keeping the rows. */
function newPerson(
  n: number,
  firstNames: string[],
  lastNames: string[],
  companyA: readonly string[],
  companyB: readonly string[],
) {
  const first = firstNames[(n * 7) % firstNames.length]!
  const last = lastNames[(n * 13) % lastNames.length]!
  const a = companyA[(n * 3) % companyA.length]!
  const b = companyB[(n * 5) % companyB.length]!
  const domain = `${a}${b}`.toLowerCase().replace(/[^a-z]/g, '')
  return {
    name: `${first} ${last}`,
    email: `${first}.${last}.${n}@${domain}.in`.toLowerCase().replace(/[^a-z0-9.@]/g, ''),
    // 97 + eight digits: a valid Indian mobile range the seed leads (98...) never use.
    mobile: `97${String(n).padStart(8, '0')}`,
    company: `${a} ${b} ${n % 3 === 0 ? 'Pvt Ltd' : 'Industries'}`,
  }
}
