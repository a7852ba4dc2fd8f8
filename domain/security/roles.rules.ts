/*
 * Who may do what: the built-in roles, as data. An admin can change a role's permissions,
 * row scopes and field rules (stored in role_setting); these are the definitions a role has
 * until then. Permissions are per object and action, row scopes say whose records a role
 * sees, and field rules hide a field or make it read-only.
 */

export const OBJECTS = [
  'lead',
  'account',
  'contact',
  'opportunity',
  'activity',
  'task',
  'order',
  'invoice',
  'ticket',
  'contract',
  'report',
  'journey',
  'channel',
  'rule_set',
  'user',
  'role',
  'api_key',
  'audit',
  'privacy',
] as const
export type SecuredObject = (typeof OBJECTS)[number]

export const ACTIONS = ['read', 'create', 'update', 'delete', 'export'] as const
export type Action = (typeof ACTIONS)[number]

/**
 * Whose records a role sees of an object:
 * - all: every record;
 * - team: records owned by the person or anyone who reports to them, directly or not;
 * - own: records owned by the person.
 * Records shared with the person are visible on top of their scope.
 */
export const ROW_SCOPES = ['all', 'team', 'own'] as const
export type RowScope = (typeof ROW_SCOPES)[number]

export const FIELD_ACCESS = ['hidden', 'read_only'] as const
export type FieldAccess = (typeof FIELD_ACCESS)[number]

/**
 * The fields a role's field rules may restrict, per object: the sensitive ones (money, tax
 * ids, contact details). Each is nullable in the API's responses, so a hidden field reads
 * as null in reads, lists and exports alike.
 */
export const RESTRICTABLE_FIELDS = {
  lead: ['email', 'phone', 'company', 'annualRevenue'],
  account: ['annualRevenue', 'gstin'],
  contact: ['email', 'phone'],
  opportunity: ['amount'],
} as const satisfies Partial<Record<SecuredObject, readonly string[]>>
export type RestrictableObject = keyof typeof RESTRICTABLE_FIELDS

export type Permissions = Partial<Record<SecuredObject, Action[]>>
export type RowScopes = Partial<Record<SecuredObject, RowScope>>
export type FieldRules = Partial<Record<RestrictableObject, Record<string, FieldAccess>>>

export interface RoleDefinition {
  name: string
  title: string
  permissions: Permissions
  rowScopes: RowScopes
  fieldRules: FieldRules
}

const ALL: Action[] = ['read', 'create', 'update', 'delete', 'export']
const WRITE: Action[] = ['read', 'create', 'update']
const READ: Action[] = ['read']

const everything = (actions: Action[]): Permissions =>
  Object.fromEntries(OBJECTS.map((o) => [o, [...actions]])) as Permissions

const CRM_RECORDS = ['lead', 'account', 'contact', 'opportunity', 'activity', 'task'] as const
const POST_SALES = ['order', 'invoice', 'ticket', 'contract'] as const
/** The objects whose rows are filtered by owner (security/visibility.ts); elsewhere a row scope means nothing. */
export const ROW_SCOPED_OBJECTS: readonly SecuredObject[] = [...CRM_RECORDS, ...POST_SALES, 'report']
const SCOPED = ROW_SCOPED_OBJECTS
const scoped = (scope: RowScope): RowScopes => Object.fromEntries(SCOPED.map((o) => [o, scope])) as RowScopes

export const BUILT_IN_ROLES: readonly RoleDefinition[] = [
  {
    name: 'admin',
    title: 'Administrator: everything, including users, roles, keys, the audit trail and privacy requests',
    permissions: everything(ALL),
    rowScopes: scoped('all'),
    fieldRules: {},
  },
  {
    name: 'sales_manager',
    title: "Sales manager: their team's records (their own and their reports'), reports and exports",
    permissions: {
      ...Object.fromEntries([...CRM_RECORDS, ...POST_SALES].map((o) => [o, [...WRITE, 'export']])),
      report: ['read', 'export'],
      journey: ['read', 'update'],
      channel: READ,
      rule_set: READ,
      user: READ,
    },
    rowScopes: scoped('team'),
    fieldRules: {},
  },
  {
    name: 'sales_rep',
    title: 'Account executive: their own accounts, deals and customers, orders and invoices',
    permissions: {
      ...Object.fromEntries([...CRM_RECORDS, ...POST_SALES].map((o) => [o, [...WRITE]])),
      report: READ,
      journey: ['read', 'update'],
      user: READ,
    },
    rowScopes: scoped('team'),
    fieldRules: {},
  },
  {
    name: 'sdr',
    title: 'SDR: their own leads and tasks; converts qualified leads into accounts and deals',
    permissions: {
      lead: WRITE,
      task: WRITE,
      activity: WRITE,
      account: WRITE,
      contact: WRITE,
      opportunity: WRITE,
      ticket: READ,
      report: READ,
      journey: ['read', 'update'],
      user: READ,
    },
    rowScopes: scoped('team'),
    fieldRules: {
      account: { annualRevenue: 'hidden', gstin: 'read_only' },
      opportunity: { amount: 'read_only' },
    },
  },
  {
    name: 'support',
    title: "Support agent: every customer's tickets, with the accounts and contacts they concern",
    permissions: {
      ticket: WRITE,
      task: WRITE,
      activity: WRITE,
      account: READ,
      contact: READ,
      contract: READ,
      user: READ,
    },
    rowScopes: { ...scoped('team'), ticket: 'all', account: 'all', contact: 'all', contract: 'all' },
    fieldRules: { account: { annualRevenue: 'hidden' } },
  },
  {
    name: 'marketing',
    title: 'Marketing: capture channels, rules, imports, every lead and the reports, without contact details',
    permissions: {
      lead: [...WRITE, 'export'],
      activity: READ,
      report: ['read', 'export'],
      channel: ALL,
      rule_set: WRITE,
      journey: READ,
      user: READ,
    },
    rowScopes: { ...scoped('all') },
    fieldRules: { lead: { phone: 'hidden' } },
  },
  {
    name: 'read_only',
    title: 'Read-only: sees every CRM record and report, changes nothing',
    permissions: {
      ...Object.fromEntries([...CRM_RECORDS, ...POST_SALES].map((o) => [o, [...READ]])),
      report: READ,
      journey: READ,
      channel: READ,
      rule_set: READ,
      user: READ,
    },
    rowScopes: scoped('all'),
    fieldRules: { account: { annualRevenue: 'hidden' } },
  },
]

export const ROLE_NAMES = BUILT_IN_ROLES.map((r) => r.name)
export const builtInRole = (name: string): RoleDefinition | undefined =>
  BUILT_IN_ROLES.find((r) => r.name === name)

/** A role nobody defined: it may do nothing (a typo in a user's role fails closed). */
export const noRole = (name: string): RoleDefinition => ({
  name,
  title: 'Unknown role: no permissions',
  permissions: {},
  rowScopes: {},
  fieldRules: {},
})

/**
 * Whether a scope string from an API key ("lead:create", "lead:*", "*") allows an action.
 * A key can only narrow its user's permissions, never widen them.
 */
export function scopeAllows(scopes: readonly string[], object: SecuredObject, action: Action): boolean {
  if (scopes.length === 0) return true
  return scopes.some((s) => s === '*' || s === `${object}:*` || s === `${object}:${action}`)
}

/** Whether "object:action" (or "object:*", "*") names a real object and action. */
export function isValidScope(scope: string): boolean {
  if (scope === '*') return true
  const [object, action, ...rest] = scope.split(':')
  return (
    rest.length === 0 &&
    (OBJECTS as readonly string[]).includes(object ?? '') &&
    (action === '*' || (ACTIONS as readonly string[]).includes(action ?? ''))
  )
}
