import {
  hiddenFields,
  isRestrictable,
  refusalMessage,
  unwritableFields,
  type BodyUse,
} from '../domain/security/field-access.rules.js'
import {
  RESTRICTABLE_FIELDS,
  type RestrictableObject,
  type RoleDefinition,
  type SecuredObject,
} from '../domain/security/roles.rules.js'
import type { FieldError } from '../platform/errors.js'

/*
 * Field rules applied to what goes out and what comes in, whatever route it is. A route's
 * payload is described by the object of its access (config.access.object): a lead route
 * answers with leads, an account route with accounts (whose detail carries a contact), and
 * so on. Pure functions over plain JSON values; api/plugins/field-access.plugin.ts calls them.
 */

type Json = Record<string, unknown>
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Per object, the fields a role reads as null (objects without any are left out). */
type Hidden = Partial<Record<RestrictableObject, ReadonlySet<string>>>

/**
 * Where records sit in a response. `objects`: whose field rules apply to this level's own
 * fields (several: a field hidden by either is hidden). `nested`: keys holding another
 * record, or an array of them. `echoes`: values at this level that repeat a hidden field
 * in another form (an audit change, a scoring detail, a duplicate's match key).
 */
interface Shape {
  objects?: readonly RestrictableObject[]
  nested?: Readonly<Record<string, Shape>>
  echoes?: readonly Echo[]
}
type Echo = (record: Json, hidden: ReadonlySet<string>) => Json

/** A history entry's `changes`: a hidden field's before and after read as null. */
const auditChanges: Echo = (record, hidden) => {
  const changes = record.changes
  if (!isRecord(changes) || !Object.keys(changes).some((f) => hidden.has(f))) return record
  const scrubbed = { ...changes }
  for (const f of Object.keys(scrubbed)) if (hidden.has(f)) scrubbed[f] = { from: null, to: null }
  return { ...record, changes: scrubbed }
}

/**
 * A lead's score line names the value it matched ("annualRevenue 5000000 INR ≥ 1000000"):
 * the line stays (its points explain the score), its detail names only the field.
 */
const scoringDetails: Echo = (record, hidden) => {
  const scoring = record.scoring
  if (!isRecord(scoring) || !Array.isArray(scoring.breakdown)) return record
  let changed = false
  const breakdown = scoring.breakdown.map((line: unknown) => {
    if (!isRecord(line) || typeof line.detail !== 'string') return line
    const field = line.detail.split(' ', 1)[0] ?? ''
    if (!hidden.has(field)) return line
    changed = true
    return { ...line, detail: `${field} (hidden from your role)` }
  })
  return changed ? { ...record, scoring: { ...scoring, breakdown } } : record
}

/**
 * Why a lead was linked as a duplicate: `{ kind: 'email' | 'phone', key: 'phone:+91…' }`,
 * or a fuzzy key "first last|company". The key repeats the field, so it reads as null.
 */
const matchKeyField = (kind: unknown) => (kind === 'fuzzy' ? 'company' : kind)
const scrubReason = (reason: unknown, hidden: ReadonlySet<string>): unknown =>
  isRecord(reason) && typeof reason.key === 'string' && hidden.has(String(matchKeyField(reason.kind)))
    ? { ...reason, key: null }
    : reason
const duplicateReasons: Echo = (record, hidden) => {
  let out = record
  if ('duplicateReason' in record) {
    const reason = scrubReason(record.duplicateReason, hidden)
    if (reason !== record.duplicateReason) out = { ...out, duplicateReason: reason }
  }
  if (Array.isArray(record.duplicates)) {
    let changed = false
    const duplicates = record.duplicates.map((d: unknown) => {
      if (!isRecord(d)) return d
      const reason = scrubReason(d.reason, hidden)
      if (reason === d.reason) return d
      changed = true
      return { ...d, reason }
    })
    if (changed) out = { ...out, duplicates }
  }
  return out
}

/**
 * A timeline entry's details quote contact points: a call's `from`/`to` number, an email's
 * address. When the role hides phones (or emails) of the people on timelines, any detail
 * that reads as one is blanked, whatever its key.
 */
const PHONE_LIKE = /^\+?[0-9][0-9 ().-]{5,}$/
const contactPointDetails: Echo = (record, hidden) => {
  const details = record.details
  if (!isRecord(details)) return record
  const hides = (v: unknown) =>
    typeof v === 'string' &&
    ((hidden.has('phone') && PHONE_LIKE.test(v)) || (hidden.has('email') && v.includes('@')))
  if (!Object.values(details).some(hides)) return record
  const scrubbed = { ...details }
  for (const [k, v] of Object.entries(scrubbed)) if (hides(v)) scrubbed[k] = null
  return { ...record, details: scrubbed }
}

const LEAD: Shape = { objects: ['lead'], echoes: [auditChanges, scoringDetails, duplicateReasons] }
const CONTACT: Shape = { objects: ['contact'], echoes: [auditChanges] }
const OPPORTUNITY: Shape = { objects: ['opportunity'], echoes: [auditChanges] }
const ACCOUNT: Shape = {
  objects: ['account'],
  nested: { primaryContact: CONTACT },
  echoes: [auditChanges],
}

/**
 * Per route object, what its responses hold. A page (`{ items: [...] }`) holds records of
 * the same shape. The journey's conversion preview shows the account, the contact (made
 * from the lead, so the lead's rules apply too) and the deal a conversion would create.
 */
const READ_SHAPES: Partial<Record<SecuredObject, Shape>> = {
  // Timelines and activities: the people on them are leads and contacts.
  activity: { objects: ['lead', 'contact'], echoes: [contactPointDetails] },
  lead: LEAD,
  account: ACCOUNT,
  contact: CONTACT,
  opportunity: OPPORTUNITY,
  journey: {
    nested: {
      account: { objects: ['account'] },
      contact: { objects: ['contact', 'lead'] },
      opportunity: { objects: ['opportunity'] },
    },
  },
}

function objectsOf(shape: Shape, into = new Set<RestrictableObject>()): Set<RestrictableObject> {
  for (const o of shape.objects ?? []) into.add(o)
  for (const sub of Object.values(shape.nested ?? {})) objectsOf(sub, into)
  return into
}

function hiddenAt(shape: Shape, hidden: Hidden): ReadonlySet<string> {
  const sets = (shape.objects ?? []).map((o) => hidden[o]).filter((s) => s !== undefined)
  if (sets.length <= 1) return sets[0] ?? new Set()
  return new Set(sets.flatMap((s) => [...s]))
}

/** Copy-on-write: records no rule touches are returned as they are, not copied. */
function apply(shape: Shape, value: unknown, hidden: Hidden): unknown {
  if (Array.isArray(value)) return value.map((v) => apply(shape, v, hidden))
  if (!isRecord(value)) return value
  const own = hiddenAt(shape, hidden)
  let out = value
  const set = (key: string, v: unknown) => {
    if (out === value) out = { ...value }
    out[key] = v
  }
  for (const field of own) if (field in value && value[field] !== null) set(field, null)
  for (const [key, sub] of Object.entries(shape.nested ?? {})) {
    if (!(key in value)) continue
    const redacted = apply(sub, value[key], hidden)
    if (redacted !== value[key]) set(key, redacted)
  }
  if (own.size > 0) for (const echo of shape.echoes ?? []) out = echo(out, own)
  return out
}

export type Redactor = (payload: unknown) => unknown

const readPlans = new WeakMap<RoleDefinition, Map<SecuredObject, Redactor | null>>()

/**
 * How a role's responses for `routeObject` are redacted, or null when none of its field
 * rules reach them (most roles, most routes: nothing is walked). Kept per role definition,
 * which the role book replaces when the role's settings change.
 */
export function readRedactor(role: RoleDefinition, routeObject: SecuredObject): Redactor | null {
  let plans = readPlans.get(role)
  if (!plans) readPlans.set(role, (plans = new Map()))
  if (plans.has(routeObject)) return plans.get(routeObject) ?? null
  const plan = buildRedactor(role, routeObject)
  plans.set(routeObject, plan)
  return plan
}

function buildRedactor(role: RoleDefinition, routeObject: SecuredObject): Redactor | null {
  const shape = READ_SHAPES[routeObject]
  if (!shape) return null
  const hidden: Hidden = {}
  for (const object of objectsOf(shape)) {
    const fields = hiddenFields(role.fieldRules, object)
    if (fields.length > 0) hidden[object] = new Set(fields)
  }
  if (Object.keys(hidden).length === 0) return null
  return (payload) => {
    if (isRecord(payload) && Array.isArray(payload.items)) {
      const items = apply(shape, payload.items, hidden)
      return items === payload.items ? payload : { ...payload, items }
    }
    return apply(shape, payload, hidden)
  }
}

/**
 * The fields of a request body a role may not send, as field errors (`/body/phone`). The
 * body's own fields are the route object's; on those routes, a key named after a
 * restrictable object holds that record's fields (a conversion sends `account` and
 * `opportunity`).
 */
export function forbiddenWrites(
  role: RoleDefinition,
  routeObject: SecuredObject,
  use: BodyUse,
  body: unknown,
): FieldError[] {
  if (!isRecord(body) || !isRestrictable(routeObject) || Object.keys(role.fieldRules).length === 0) return []
  const errors: FieldError[] = []
  const check = (object: RestrictableObject, record: Json, pointer: string) => {
    for (const [field, access] of unwritableFields(role.fieldRules, object, use)) {
      if (field in record)
        errors.push({ pointer: `${pointer}/${field}`, message: refusalMessage(access, role.name) })
    }
  }
  check(routeObject, body, '/body')
  for (const object of Object.keys(RESTRICTABLE_FIELDS) as RestrictableObject[]) {
    const nested = body[object]
    if (isRecord(nested)) check(object, nested, `/body/${object}`)
  }
  return errors
}

/**
 * For an audit trail spanning objects (entries carry their `entity`): the entry with the
 * fields its entity's rules hide from the role blanked in `changes`, before and after.
 */
export function redactAuditEntry<E extends { entity: string; changes: unknown }>(
  role: RoleDefinition,
  entry: E,
): E {
  if (!isRestrictable(entry.entity)) return entry
  const hidden = hiddenFields(role.fieldRules, entry.entity)
  return hidden.length === 0 ? entry : (auditChanges(entry, new Set(hidden)) as E)
}
