import { describe, expect, it } from 'vitest'
import {
  DEFAULT_DEDUPE_THRESHOLDS,
  fuzzyKey,
  matchKeys,
  trigramSimilarity,
} from '../../../domain/dedupe/match-keys.rules.js'

describe('matchKeys', () => {
  it.each<[string, string | null, string | null, string[]]>([
    ['email and phone', 'asha@example.in', '+919876543210', ['email:asha@example.in', 'phone:+919876543210']],
    ['email only', 'asha@example.in', null, ['email:asha@example.in']],
    ['phone only', null, '+919876543210', ['phone:+919876543210']],
    ['neither', null, null, []],
    ['blank values', '  ', '', []],
    ['an email in another case', ' Asha@Example.IN ', null, ['email:asha@example.in']],
    ['a phone with separators', null, '+91 98765-43210', ['phone:+919876543210']],
    ['Gmail ignores dots and +tags', 'asha.rao+expo@gmail.com', null, ['email:asharao@gmail.com']],
    ['googlemail.com is Gmail', 'a.sha.rao@googlemail.com', null, ['email:asharao@gmail.com']],
    ['a dot inside the Gmail tag', 'asharao+news.letter@gmail.com', null, ['email:asharao@gmail.com']],
    ['other providers keep their dots', 'asha.rao@outlook.com', null, ['email:asha.rao@outlook.com']],
    ['other providers keep their +tags', 'asha+expo@example.in', null, ['email:asha+expo@example.in']],
    ['Google Workspace domains are not Gmail', 'asha.rao+x@acme.in', null, ['email:asha.rao+x@acme.in']],
    [
      'an address that is only a Gmail tag stays as written',
      '+tag@gmail.com',
      null,
      ['email:+tag@gmail.com'],
    ],
  ])('%s', (_name, email, phone, expected) => {
    expect(matchKeys({ email, phone })).toEqual(expected)
  })
})

describe('fuzzyKey', () => {
  it.each<[string, string | null, string | null, string | null, string | null]>([
    ['first, last and company', 'Asha', 'Rao', 'Acme Pvt. Ltd.', 'asha rao|acme'],
    ['private limited', 'Asha', 'Rao', 'Infosys Private Limited', 'asha rao|infosys'],
    ['Co., Ltd.', 'Wei', 'Chen', 'Acme Co., Ltd.', 'wei chen|acme'],
    ['Limited', 'Asha', 'Rao', 'Tata Consultancy Services Limited', 'asha rao|tata consultancy services'],
    ['Inc', 'John', 'Doe', 'Acme, Inc.', 'john doe|acme'],
    ['LLC', 'John', 'Doe', 'Acme LLC', 'john doe|acme'],
    ['LLP', 'Asha', 'Rao', 'Rao & Associates LLP', 'asha rao|rao associates'],
    ['GmbH', 'Jürgen', 'Müller', 'Müller Technik GmbH', 'jurgen muller|muller technik'],
    ['Corp.', 'John', 'Doe', 'Acme Corp.', 'john doe|acme'],
    ['Corporation', 'John', 'Doe', 'Acme Corporation', 'john doe|acme'],
    [
      'a legal word inside the name stays',
      'John',
      'Doe',
      'Co-operative Bank Ltd',
      'john doe|cooperative bank',
    ],
    ['a company that is only a legal word stays', 'John', 'Doe', 'Co', 'john doe|co'],
    ['accents removed', 'José', 'Núñez', 'Café Ñandú', 'jose nunez|cafe nandu'],
    ['punctuation removed', 'Mary-Ann', "O'Brien", 'A.B.C. (India)', 'maryann obrien|abc india'],
    ['full-width letters folded', 'ＡＳＨＡ', 'Rao', null, 'asha rao|'],
    ['extra spaces collapsed', '  Asha  ', ' Rao ', '  Acme   Labs ', 'asha rao|acme labs'],
    ['Devanagari vowel signs are kept', 'आशा', 'राव', null, 'आशा राव|'],
    ['no company', 'Asha', 'Rao', null, 'asha rao|'],
    ['first name only', 'Asha', null, 'Acme', 'asha|acme'],
    ['last name only', null, 'Rao', 'Acme', 'rao|acme'],
    ['no name', null, null, 'Acme', null],
    ['a name of only spaces and punctuation', ' ', '...', 'Acme', null],
  ])('%s', (_name, firstName, lastName, company, expected) => {
    expect(fuzzyKey({ firstName, lastName, company })).toBe(expected)
  })
})

describe('trigramSimilarity (pg_trgm similarity())', () => {
  // Worked by hand from the pg_trgm definition. pg_trgm returns real (float4), hence Math.fround.
  it.each<[string, string, string, number]>([
    // {"  w"," wo",wor,ord,"rd "} vs {"  t"," tw",two,"wo ","  w"," wo",wor,ord,rds,"ds "}: 4 shared, 11 in all
    ['the pg_trgm docs example', 'word', 'two words', Math.fround(4 / 11)],
    // {"  c"," ca",cat,"at "} vs {"  c"," ca",cat,ats,"ts "}: 3 shared, 6 in all
    ['a plural', 'cat', 'cats', 0.5],
    // {"  r"," ra",rao,"ao "} vs {"  r"," ra",rau,"au "}: 2 shared, 6 in all
    ['one letter changed in a short word', 'rao', 'rau', Math.fround(1 / 3)],
    // 13 trigrams each ("  a" appears in asha and acme but counts once), 11 shared, 15 in all
    ['two fuzzy keys one letter apart', 'asha rao|acme', 'asha rau|acme', Math.fround(11 / 15)],
    // 9 of the 13 trigrams, all shared
    ['a fuzzy key without the company', 'asha rao|acme', 'asha rao|', Math.fround(9 / 13)],
    ['identical strings', 'asha rao|acme', 'asha rao|acme', 1],
    ['case is ignored', 'ACME', 'acme', 1],
    ['every non-alphanumeric separates words', 'foo|bar', 'foo  bar!', 1],
    // both are {"  a"," aa",aaa,"aa "}: trigrams form a set
    ['repeated trigrams count once', 'aaa', 'aaaa', 1],
    ['word order does not matter', 'rao asha', 'asha rao', 1],
    ['nothing in common', 'cat', 'dog', 0],
    ['an empty string', '', 'cat', 0],
    ['two empty strings (pg_trgm returns 0, not 1)', '', '', 0],
    ['only punctuation', '!!!', '!!!', 0],
  ])('%s: similarity(%j, %j) = %d', (_name, a, b, expected) => {
    expect(trigramSimilarity(a, b)).toBe(expected)
    expect(trigramSimilarity(b, a)).toBe(expected)
  })

  // Values PostgreSQL 18.4 returned for `similarity(a, b)::float8`, for text the database and
  // this function classify alike under any locale (ASCII).
  it.each<[string, string, number]>([
    ['12 main st', '12 main street', 0.625],
    ['john o brien|acme', 'jon obrien|acme', 0.5454545617103577],
    ['asha rao|acme', 'ravi kumar|acme', 0.3181818127632141],
    ['a', 'ab', 0.25],
    ['x_y', 'x y', 1],
    ['ab-c', 'abc', 0.2857142984867096],
  ])('matches PostgreSQL: similarity(%j, %j) = %d', (a, b, expected) => {
    expect(trigramSimilarity(a, b)).toBe(expected)
  })

  it('returns the float4 value PostgreSQL prints (0.36363637)', () => {
    expect(trigramSimilarity('word', 'two words')).toBe(0.3636363744735718)
    expect(trigramSimilarity('word', 'two words').toPrecision(8)).toBe('0.36363637')
  })

  it('keeps Devanagari words whole', () => {
    expect(trigramSimilarity('आशा राव', 'आशा राव')).toBe(1)
    expect(trigramSimilarity('आशा', 'राव')).toBe(0)
  })
})

describe('DEFAULT_DEDUPE_THRESHOLDS', () => {
  it('asks for a fuzzy similarity of 0.6 and cannot be changed by a caller', () => {
    expect(DEFAULT_DEDUPE_THRESHOLDS).toEqual({ fuzzy: 0.6 })
    expect(Object.isFrozen(DEFAULT_DEDUPE_THRESHOLDS)).toBe(true)
  })

  it('keeps a one-letter typo together and sets different people apart', () => {
    expect(trigramSimilarity('asha rao|acme', 'asha rau|acme')).toBeGreaterThanOrEqual(
      DEFAULT_DEDUPE_THRESHOLDS.fuzzy,
    )
    expect(trigramSimilarity('asha rao|acme', 'ravi kumar|acme')).toBeLessThan(
      DEFAULT_DEDUPE_THRESHOLDS.fuzzy,
    )
  })
})
