import { fakerEN_IN } from '@faker-js/faker'
import type pg from 'pg'

/*
 * The 1,000,000 leads the benchmark starts from, written set-based (INSERT ... SELECT FROM
 * generate_series) in chunks, each chunk one statement that also writes the lead's exact match
 * keys. Every column is a pure function of the seed number n, mirrored by `seedLead(n)` below, so
 * the load can re-send a seeded person's email or phone and the lookups can ask for a seeded
 * name without reading the table first.
 *
 * The list lengths are pairwise coprime (739, 89, 47, 43): by the Chinese remainder theorem
 * (first, last, company word A, company word B) repeats only every 133M rows, so every seeded
 * person is a distinct name + company, while a name pair still recurs ~15 times per million rows
 * and each surname ~11,000 times, as common names do.
 */

const list = (text: string): string[] => text.trim().split(/\s*\|\s*/)

// Names as Indian lead lists have them: faker's en_IN first and last names (ASCII ones),
// trimmed to prime lengths.
const person = fakerEN_IN.definitions.person
const asciiNames = (names: string[]) => [...new Set(names)].filter((n) => /^[A-Za-z]+$/.test(n))
const FIRST_NAMES = asciiNames([
  ...(person.first_name.male ?? []),
  ...(person.first_name.female ?? []),
]).slice(0, 739)
const LAST_NAMES = asciiNames(person.last_name.generic ?? []).slice(0, 89)
const COMPANY_A = list(`
  Nimbus | Saffron | Indus | Lotus | Ganga | Everest | Peacock | Banyan | Monsoon | Vedic | Kaveri | Deccan |
  Sahyadri | Coral | Zenith | Apex | Orbit | Quantum | Pixel | Bharat | Aravali | Tulsi | Neem | Mango |
  Cobalt | Crimson | Silverline | Northstar | Bluewave | Greenfield | Sunrise | Horizon | Kite | Falcon |
  Tiger | Elephant | Vistara | Yamuna | Narmada | Konkan | Malabar | Himalaya | Thar | Sundarban | Kalinga |
  Magadha | Chola`)
const COMPANY_B = list(`
  Textiles | Logistics | Software | Technologies | Pharma | Foods | Motors | Infra | Labs | Systems |
  Analytics | Fintech | Retail | Exports | Agro | Solar | Steel | Chemicals | Healthcare | Education | Realty |
  Media | Telecom | Consulting | Traders | Industries | Ventures | Cloud | Robotics | Packaging | Plastics |
  Ceramics | Electricals | Devices | Apparel | Beverages | Capital | Insurance | Mobility | Networks |
  Security | Studios | Works`)
const LEGAL_FORMS = [' Pvt Ltd', ' Private Limited', '', ' LLP', '']
const TITLES = list(`
  CEO | Founder | CTO | VP Sales | Head of Marketing | Engineer | Procurement Manager | Director |
  Operations Manager | Purchase Head | IT Manager`)
const CHANNELS = list('web_form | web_form | api | whatsapp | email | partner_api | event | import | phone')
const PLACES = list(`
  Maharashtra:Mumbai | Maharashtra:Pune | Karnataka:Bengaluru | Tamil Nadu:Chennai | Telangana:Hyderabad |
  Delhi:New Delhi | Haryana:Gurugram | Uttar Pradesh:Noida | West Bengal:Kolkata | Gujarat:Ahmedabad |
  Rajasthan:Jaipur | Kerala:Kochi | Punjab:Chandigarh`).map((p) => p.split(':') as [string, string])
const INDUSTRIES = list('Manufacturing | Software | Retail | Healthcare | Logistics | Education | Finance')
const SIZES = list('1-10 | 11-50 | 51-200 | 201-500 | 501-1000 | 1000+')

// Distinct (first, last, company) for every seeded row needs pairwise coprime lengths.
for (const [name, length, expected] of [
  ['FIRST_NAMES', FIRST_NAMES.length, 739],
  ['LAST_NAMES', LAST_NAMES.length, 89],
  ['COMPANY_A', COMPANY_A.length, 47],
  ['COMPANY_B', COMPANY_B.length, 43],
] as const) {
  if (length !== expected) throw new Error(`${name} must hold ${expected} entries (it holds ${length})`)
}

const at = <T>(list: readonly T[], n: number): T => list[n % list.length] as T

export interface SeedLead {
  n: number
  firstName: string
  lastName: string
  company: string
  email: string
  phone: string
  /** What ingestion would store in lead.fuzzy_key: "first last|company" folded, legal form dropped. */
  fuzzyKey: string
}

/** The seeded lead number n (1-based), exactly as the SQL below writes it. */
export function seedLead(n: number): SeedLead {
  const first = at(FIRST_NAMES, n)
  const last = at(LAST_NAMES, n)
  const a = at(COMPANY_A, n)
  const b = at(COMPANY_B, n)
  return {
    n,
    firstName: first,
    lastName: last,
    company: `${a} ${b}${at(LEGAL_FORMS, n)}`,
    email: `seed${n}@${seedDomain(n)}`,
    phone: `+9198${String(n).padStart(8, '0')}`,
    fuzzyKey: `${first} ${last}|${a} ${b}`.toLowerCase(),
  }
}

export function seedDomain(n: number): string {
  return `${at(COMPANY_A, n)}${at(COMPANY_B, n)}.in`.toLowerCase()
}

// $1 first n, $2 last n, $3 total seeded (spreads created_at over the last ~2 years, one
// minute apart, oldest first), then the lists. Arrays in SQL are 1-based: list[1 + n % len].
const SEED_SQL = `
WITH s AS (
  SELECT n,
         gen_random_uuid() AS id,
         ($4::text[])[1 + n % ${FIRST_NAMES.length}] AS first_name,
         ($5::text[])[1 + n % ${LAST_NAMES.length}] AS last_name,
         ($6::text[])[1 + n % ${COMPANY_A.length}] AS co_a,
         ($7::text[])[1 + n % ${COMPANY_B.length}] AS co_b
    FROM generate_series($1::int, $2::int) AS n
), ins AS (
  INSERT INTO lead (id, status, channel, first_name, last_name, email, email_domain, phone, phone_country,
                    company, company_domain, website, title, industry, company_size, country, state, city,
                    score, score_explanation, fuzzy_key, company_key, queue, assignment_reason, assigned_at,
                    created_at, updated_at, created_by, updated_by)
  SELECT id,
         ('{NEW,NEW,NEW,CONTACTED,QUALIFIED,DISQUALIFIED,RECYCLED}'::lead_status[])[1 + n % 7],
         ($8::text[])[1 + n % ${CHANNELS.length}],
         first_name, last_name,
         'seed' || n || '@' || lower(co_a || co_b) || '.in', lower(co_a || co_b) || '.in',
         '+9198' || lpad(n::text, 8, '0'), 'IN',
         co_a || ' ' || co_b || ($9::text[])[1 + n % ${LEGAL_FORMS.length}],
         lower(co_a || co_b) || '.in', 'https://www.' || lower(co_a || co_b) || '.in',
         ($10::text[])[1 + n % ${TITLES.length}],
         ($11::text[])[1 + n % ${INDUSTRIES.length}],
         ($12::text[])[1 + n % ${SIZES.length}],
         'IN', ($13::text[])[1 + n % ${PLACES.length}], ($14::text[])[1 + n % ${PLACES.length}],
         ((n::bigint * 7919) % 101)::int, 'seeded', lower(first_name || ' ' || last_name || '|' || co_a || ' ' || co_b), lower(co_a || ' ' || co_b),
         'unassigned', 'seeded', now() - ($3::int - n + 1) * interval '1 minute',
         now() - ($3::int - n + 1) * interval '1 minute', now(), 'seed', 'seed'
    FROM s
  RETURNING id, email, phone
)
INSERT INTO lead_match_key (key, lead_id)
SELECT 'email:' || email, id FROM ins
UNION ALL
SELECT 'phone:' || phone, id FROM ins`

/** Writes seed leads number `from`..`to` and their match keys in one statement (one transaction). */
export async function insertSeedChunk(client: pg.ClientBase, from: number, to: number, total: number) {
  await client.query(SEED_SQL, [
    from,
    to,
    total,
    FIRST_NAMES,
    LAST_NAMES,
    COMPANY_A,
    COMPANY_B,
    CHANNELS,
    LEGAL_FORMS,
    TITLES,
    INDUSTRIES,
    SIZES,
    PLACES.map((p) => p[0]),
    PLACES.map((p) => p[1]),
  ])
}

/** Lists for other generators that want the seeded population's flavour. */
export const SEED_LISTS = { FIRST_NAMES, LAST_NAMES, COMPANY_A, COMPANY_B, TITLES, INDUSTRIES, SIZES, PLACES }
