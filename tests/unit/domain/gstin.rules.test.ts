import { describe, expect, it } from 'vitest'
import {
  GST_STATE_CODES,
  gstinCheckCharacter,
  isSameStateSupply,
  parseGstin,
} from '../../../domain/account/gstin.rules.js'

/*
 * 27AAPFU0939F1ZV is the GSTIN most often published as a valid example. The others were
 * built for these tests: their check characters were computed with the right-to-left
 * formulation of Luhn mod 36 (factor 2 on the 14th character), which must agree with the
 * left-to-right one under test.
 */
const PUBLISHED = '27AAPFU0939F1ZV'

describe('gstinCheckCharacter', () => {
  it('gives V for the published example, worked by hand', () => {
    // Values 2,7,A=10,A=10,P=25,F=15,U=30,0,9,3,9,F=15,1,Z=35 with factors 1,2,1,2,...:
    // 2+14+10+20+25+30+30+0+9+6+9+30+1+(70 → 1+34) = 221; 221 % 36 = 5; 36 - 5 = 31 = V.
    expect(gstinCheckCharacter('27AAPFU0939F1Z')).toBe('V')
  })

  it.each([
    ['01AABCT1234Q1Z', 'H'],
    ['38AAACL5678M1Z', 'T'],
    ['97AAACG4321K1Z', 'K'],
    ['99AAAGD0001A1Z', 'B'],
    ['07AAAPS1234A9Z', '5'],
    ['27AAAJU0939F1Z', '1'],
    ['27AAPFU0939F2Z', 'U'],
  ])('%s → %s', (first14, check) => {
    expect(gstinCheckCharacter(first14)).toBe(check)
  })

  it('gives 0 when the sum is a multiple of 36 (the final "% 36")', () => {
    expect(gstinCheckCharacter('27AAPFU0059F1Z')).toBe('0')
  })

  it.each(['27AAPFU0939F1', '27AAPFU0939F1ZV', '27aapfu0939f1z', '27AAPFU0939F1-', ''])(
    'refuses %j: not 14 characters of 0-9 and A-Z',
    (bad) => {
      expect(() => gstinCheckCharacter(bad)).toThrow(RangeError)
    },
  )
})

describe('parseGstin', () => {
  it('reads the published example', () => {
    expect(parseGstin(PUBLISHED)).toEqual({
      ok: true,
      gstin: '27AAPFU0939F1ZV',
      stateCode: '27',
      pan: 'AAPFU0939F',
    })
  })

  it('trims and upper-cases first', () => {
    expect(parseGstin('  27aapfu0939f1zv \n')).toEqual({
      ok: true,
      gstin: '27AAPFU0939F1ZV',
      stateCode: '27',
      pan: 'AAPFU0939F',
    })
  })

  it.each([
    ['01AABCT1234Q1ZH', '01', 'AABCT1234Q'],
    ['38AAACL5678M1ZT', '38', 'AAACL5678M'],
    ['97AAACG4321K1ZK', '97', 'AAACG4321K'],
    ['99AAAGD0001A1ZB', '99', 'AAAGD0001A'],
    ['25AAPFU0939F1ZZ', '25', 'AAPFU0939F'],
    ['28AAPFU0939F1ZT', '28', 'AAPFU0939F'],
    ['07AAAPS1234A9Z5', '07', 'AAAPS1234A'],
    ['33AAAFA0001BAZN', '33', 'AAAFA0001B'],
    ['24AAAHB2345CZZ7', '24', 'AAAHB2345C'],
    ['27AAPFU0059F1Z0', '27', 'AAPFU0059F'],
  ])('accepts %s (state %s)', (gstin, stateCode, pan) => {
    expect(parseGstin(gstin)).toEqual({ ok: true, gstin, stateCode, pan })
  })

  it.each([
    ['C', '27AAACU0939F1ZG'],
    ['P', '27AAAPU0939F1ZP'],
    ['H', '27AAAHU0939F1Z6'],
    ['F', '27AAAFU0939F1ZA'],
    ['A', '27AAAAU0939F1ZK'],
    ['T', '27AAATU0939F1ZH'],
    ['B', '27AAABU0939F1ZI'],
    ['L', '27AAALU0939F1ZX'],
    ['J', '27AAAJU0939F1Z1'],
    ['G', '27AAAGU0939F1Z8'],
  ])('accepts PAN holder type %s', (_type, gstin) => {
    expect(parseGstin(gstin)).toMatchObject({ ok: true, gstin })
  })

  describe('format', () => {
    it.each([
      ['empty', ''],
      ['only spaces', '   '],
      ['14 characters', '27AAPFU0939F1Z'],
      ['16 characters', '27AAPFU0939F1ZVV'],
      ['a space inside', '27AAPFU 0939F1ZV'],
      ['a hyphen inside', '27-AAPFU0939F1ZV'],
      ['a letter in the state code', '2AAAPFU0939F1ZV'],
      ['a digit among the PAN letters', '27AA1FU0939F1ZV'],
      ['a letter among the PAN digits', '27AAPFU09A9F1ZV'],
      ['a digit as the PAN last letter', '27AAPFU093901ZV'],
      ['PAN holder type X', '27AAPXU0939F1ZV'],
      ['PAN holder type E', '27AAPEU0939F1ZV'],
      ['PAN holder type K', '27AAPKU0939F1ZV'],
      ['entity number 0', '27AAPFU0939F0ZV'],
      ['14th character not Z', '27AAPFU0939F1AV'],
      ['14th character a digit', '27AAPFU0939F11V'],
      ['punctuation as the check character', '27AAPFU0939F1Z!'],
      ['non-ASCII digits', '२७AAPFU0939F1ZV'],
    ])('refuses %s', (_name, raw) => {
      expect(parseGstin(raw)).toEqual({ ok: false, reason: 'format' })
    })

    it('refuses a value that is not a string (untyped callers)', () => {
      expect(parseGstin(27 as unknown as string)).toEqual({ ok: false, reason: 'format' })
      expect(parseGstin(null as unknown as string)).toEqual({ ok: false, reason: 'format' })
    })
  })

  describe('state_code', () => {
    // Check characters are correct, so the state code is the only thing wrong.
    it.each(['00AAPFU0939F1ZB', '39AAPFU0939F1ZQ', '96AAPFU0939F1ZQ', '98AAPFU0939F1ZM'])(
      'refuses %s',
      (raw) => {
        expect(parseGstin(raw)).toEqual({ ok: false, reason: 'state_code' })
      },
    )

    it('is checked before the check character', () => {
      expect(parseGstin('72AAPFU0939F1ZV')).toEqual({ ok: false, reason: 'state_code' })
    })
  })

  describe('checksum', () => {
    it('refuses every other check character of the published example', () => {
      const others = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'].filter((c) => c !== 'V')
      expect(others).toHaveLength(35)
      for (const c of others) {
        expect(parseGstin(`27AAPFU0939F1Z${c}`)).toEqual({ ok: false, reason: 'checksum' })
      }
    })

    it.each([
      ['a changed PAN digit', '27AAPFU0938F1ZV'],
      ['a changed state (still a real state)', '29AAPFU0939F1ZV'],
      ['swapped neighbouring digits', '27AAPFU9039F1ZV'],
      ['swapped neighbouring letters', '27AAFPU0939F1ZV'],
      ['another entity number', '27AAPFU0939F2ZV'],
    ])('refuses %s', (_name, raw) => {
      expect(parseGstin(raw)).toEqual({ ok: false, reason: 'checksum' })
    })
  })
})

describe('GST_STATE_CODES', () => {
  it('has 01-38, 97 and 99 and nothing else', () => {
    const expected = [...Array.from({ length: 38 }, (_, i) => String(i + 1).padStart(2, '0')), '97', '99']
    expect(Object.keys(GST_STATE_CODES).sort()).toEqual(expected)
  })

  it.each([
    ['07', 'Delhi'],
    ['26', 'Dadra and Nagar Haveli and Daman and Diu'],
    ['27', 'Maharashtra'],
    ['29', 'Karnataka'],
    ['36', 'Telangana'],
    ['37', 'Andhra Pradesh'],
    ['38', 'Ladakh'],
    ['97', 'Other Territory'],
    ['99', 'Centre Jurisdiction'],
  ])('%s is %s', (code, name) => {
    expect(GST_STATE_CODES[code]).toBe(name)
  })
})

describe('isSameStateSupply', () => {
  it.each<[string, string, string, boolean]>([
    ['seller GSTIN and buyer code in the same state', PUBLISHED, '27', true],
    ['seller GSTIN and buyer code in different states', PUBLISHED, '29', false],
    ['two equal state codes', '29', '29', true],
    ['two different state codes', '07', '06', false],
    ['a one-digit code is zero-padded', '7', '07', true],
    ['a one-digit code on the seller side too', '07AAAPS1234A9Z5', '7', true],
    ['buyer given as a GSTIN', '27', PUBLISHED, true],
    ['both GSTINs, different states', '01AABCT1234Q1ZH', PUBLISHED, false],
    ['a GSTIN typed in lower case with spaces', ' 27aapfu0939f1zv ', '27', true],
    ['codes with spaces', ' 27 ', '27 ', true],
    ['legacy 25 is the merged territory 26', '25', '26', true],
    ['legacy 25 GSTIN and 26', '25AAPFU0939F1ZZ', '26', true],
    ['legacy 28 is not today’s Andhra Pradesh (37)', '28', '37', false],
    ['Other Territory with itself', '97', '97', true],
    ['Centre Jurisdiction with itself', '99', '99', true],
    ['unknown code 00 on both sides', '00', '00', false],
    ['unknown code 40 on both sides', '40', '40', false],
    ['a seller GSTIN failing its check character', '27AAPFU0939F1ZA', '27', false],
    ['a blank buyer (export or not given)', PUBLISHED, '', false],
    ['a foreign buyer', PUBLISHED, 'US', false],
    ['three digits are not a code', '027', '27', false],
  ])('%s', (_name, seller, buyer, same) => {
    expect(isSameStateSupply(seller, buyer)).toBe(same)
  })
})
