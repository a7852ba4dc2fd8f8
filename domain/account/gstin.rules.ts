/*
 * India's GST Identification Number (GSTIN): reading one an account or lead gave us, and
 * telling whether a supply stays within one state (CGST + SGST) or crosses states (IGST).
 * Pure: the answer depends on the strings alone.
 *
 * Layout of the 15 characters of a regular taxpayer's GSTIN:
 *
 *   27  AAPFU0939F  1  Z  V
 *   │   │           │  │  └─ check character, Luhn mod 36 over the first 14
 *   │   │           │  └──── 'Z' by default
 *   │   │           └─────── entity number: the holder's 1st..35th registration in that state (1-9, then A-Z)
 *   │   └─────────────────── PAN: 5 letters, 4 digits, 1 letter; the 4th letter is the holder type
 *   └─────────────────────── GST state code (GST_STATE_CODES)
 *
 * Only this PAN-based layout is read. Registrations built on something other than a PAN
 * (UN bodies' UINs, non-resident online service providers, tax deductors) use other
 * layouts and are refused as `format`: they are not accounts we sell to.
 */

/**
 * GST state and union-territory codes (the 2011 Census codes the GST system took over),
 * as listed on the GST portal. 25 and 28 no longer receive new registrations but stay
 * readable: GSTINs issued under them still appear on old invoices and imported records.
 */
export const GST_STATE_CODES: Record<string, string> = {
  '01': 'Jammu and Kashmir',
  '02': 'Himachal Pradesh',
  '03': 'Punjab',
  '04': 'Chandigarh',
  '05': 'Uttarakhand',
  '06': 'Haryana',
  '07': 'Delhi',
  '08': 'Rajasthan',
  '09': 'Uttar Pradesh',
  '10': 'Bihar',
  '11': 'Sikkim',
  '12': 'Arunachal Pradesh',
  '13': 'Nagaland',
  '14': 'Manipur',
  '15': 'Mizoram',
  '16': 'Tripura',
  '17': 'Meghalaya',
  '18': 'Assam',
  '19': 'West Bengal',
  '20': 'Jharkhand',
  '21': 'Odisha',
  '22': 'Chhattisgarh',
  '23': 'Madhya Pradesh',
  '24': 'Gujarat',
  // Merged into 26 on 26 January 2020 (Dadra and Nagar Haveli and Daman and Diu).
  '25': 'Daman and Diu (before the 2020 merger)',
  '26': 'Dadra and Nagar Haveli and Daman and Diu',
  '27': 'Maharashtra',
  // Andhra Pradesh before Telangana was formed in 2014; today 37 (and 36 for Telangana).
  '28': 'Andhra Pradesh (before division)',
  '29': 'Karnataka',
  '30': 'Goa',
  '31': 'Lakshadweep',
  '32': 'Kerala',
  '33': 'Tamil Nadu',
  '34': 'Puducherry',
  '35': 'Andaman and Nicobar Islands',
  '36': 'Telangana',
  '37': 'Andhra Pradesh',
  '38': 'Ladakh',
  '97': 'Other Territory',
  '99': 'Centre Jurisdiction',
}

/*
 * PAN holder types (the PAN's 4th character): Company, Person, HUF, Firm, AOP, Trust, BOI,
 * Local authority, artificial Juridical person, Government. A GSTIN whose PAN has any other
 * letter there was mistyped.
 */
const GSTIN_FORMAT = /^[0-9]{2}[A-Z]{3}[CPHFATBLJG][A-Z][0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/

const CODE_POINTS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'

export type GstinParseResult =
  | { ok: true; gstin: string; stateCode: string; pan: string }
  | { ok: false; reason: 'format' | 'state_code' | 'checksum' }

/**
 * Reads a GSTIN as a person typed or a system sent it.
 *
 * Surrounding spaces are dropped and letters upper-cased first (people copy GSTINs from
 * PDFs and type them in lower case); anything else is taken as given. The reasons are
 * checked in this order, so a string reports the first that applies:
 * - `format`: not 15 characters in the layout above (including a PAN holder type outside
 *   C P H F A T B L J G, an entity number 0, or a 14th character other than Z);
 * - `state_code`: the first two digits are not a code in GST_STATE_CODES;
 * - `checksum`: the 15th character is not the check character of the first 14, which
 *   catches most single-character typos and swaps of neighbours.
 *
 * @param raw - The GSTIN as received.
 * @returns The canonical GSTIN with its state code and PAN, or why it was refused.
 */
export function parseGstin(raw: string): GstinParseResult {
  if (typeof raw !== 'string') return { ok: false, reason: 'format' }
  const gstin = raw.trim().toUpperCase()
  if (!GSTIN_FORMAT.test(gstin)) return { ok: false, reason: 'format' }
  const stateCode = gstin.slice(0, 2)
  if (!Object.hasOwn(GST_STATE_CODES, stateCode)) return { ok: false, reason: 'state_code' }
  if (gstinCheckCharacter(gstin.slice(0, 14)) !== gstin.slice(14)) return { ok: false, reason: 'checksum' }
  return { ok: true, gstin, stateCode, pan: gstin.slice(2, 12) }
}

/**
 * The check character GSTN appends to a GSTIN: Luhn mod 36 over the first 14 characters.
 *
 * Each character is valued 0-9 for digits and 10-35 for A-Z. Going from the left, the
 * factor alternates 1, 2, 1, 2...; each product adds its base-36 digits
 * (floor(product / 36) + product % 36) to the sum, and the check value is
 * (36 - sum % 36) % 36, written back as a character of the same alphabet.
 *
 * @param first14 - Exactly 14 characters from 0-9 and A-Z (upper case).
 * @throws RangeError when `first14` is anything else: that is a programming error, since
 *   parseGstin only calls this after the format check.
 */
export function gstinCheckCharacter(first14: string): string {
  if (!/^[0-9A-Z]{14}$/.test(first14)) {
    throw new RangeError('gstinCheckCharacter needs exactly 14 characters from 0-9 and A-Z')
  }
  let sum = 0
  for (let i = 0; i < first14.length; i++) {
    const product = CODE_POINTS.indexOf(first14.charAt(i)) * (i % 2 === 0 ? 1 : 2)
    sum += Math.floor(product / 36) + (product % 36)
  }
  return CODE_POINTS.charAt((36 - (sum % 36)) % 36)
}

/**
 * Whether a supply stays within one state or union territory, which is what decides
 * between CGST + SGST (intra-state) and IGST (inter-state).
 *
 * Each side may be a GSTIN or a state code; a code of one digit is read as zero-padded
 * ("7" is Delhi, 07). Legacy code 25 (Daman and Diu) counts as 26, the territory it was
 * merged into. The answer is true only when both sides are known to be the same state:
 * a side that cannot be read (a foreign buyer, a blank, a mistyped GSTIN) gives false,
 * because a supply to a place outside India is inter-state (IGST Act 2017, s. 7(5)), and
 * an unreadable side must not quietly pass as intra-state: the caller should fix the place
 * of supply instead.
 *
 * @param sellerGstinOrStateCode - The seller's GSTIN, or the state code of its registration.
 * @param buyerStateCode - The place of supply's state code (or the buyer's GSTIN).
 */
export function isSameStateSupply(sellerGstinOrStateCode: string, buyerStateCode: string): boolean {
  const seller = stateCodeOf(sellerGstinOrStateCode)
  const buyer = stateCodeOf(buyerStateCode)
  return seller !== null && seller === buyer
}

/** A canonical state code from a GSTIN or a 1-2 digit code, or null when neither reads. */
function stateCodeOf(value: string): string | null {
  if (typeof value !== 'string') return null
  const s = value.trim().toUpperCase()
  let code: string | null = null
  if (/^[0-9]{1,2}$/.test(s)) code = s.padStart(2, '0')
  else {
    const parsed = parseGstin(s)
    if (parsed.ok) code = parsed.stateCode
  }
  if (code === null || !Object.hasOwn(GST_STATE_CODES, code)) return null
  return code === '25' ? '26' : code
}
