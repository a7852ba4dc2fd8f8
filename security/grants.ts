import {
  OBJECTS,
  RESTRICTABLE_FIELDS,
  ROW_SCOPED_OBJECTS,
  scopeAllows,
  type Action,
  type RestrictableObject,
  type RoleDefinition,
  type RowScope,
  type SecuredObject,
} from '../domain/security/roles.rules.js'
import type { Principal } from './principal.js'

/*
 * Nobody hands out more than they hold. Giving a person a role, setting a role's rules,
 * minting or rotating a key, or taking over an account by setting its password would
 * otherwise let anyone with user, role or key rights climb to admin in one step. What is
 * handed out is compared with what the caller may do themselves: permissions, how far
 * their row scopes reach, and which fields their field rules hide or lock.
 */

const REACH: Record<RowScope, number> = { own: 0, team: 1, all: 2 }

const ROW_SCOPED = ROW_SCOPED_OBJECTS

/** The "object:action" pairs a role allows, narrowed by key scopes (empty: all of them). */
export function grantedPairs(role: RoleDefinition, scopes: readonly string[] = []): string[] {
  const pairs: string[] = []
  for (const object of OBJECTS)
    for (const action of role.permissions[object] ?? [])
      if (scopeAllows(scopes, object, action)) pairs.push(`${object}:${action}`)
  return pairs
}

/**
 * What `role` (narrowed by `scopes`) would allow that the caller may not: permissions the
 * caller lacks, a wider row scope on an object the caller reads, or a field the caller's
 * rules hide or lock left open. Empty when the caller may hand it out.
 */
export function beyondCaller(
  caller: Principal,
  role: RoleDefinition,
  scopes: readonly string[] = [],
): string[] {
  const beyond: string[] = []
  const granted = new Set(grantedPairs(role, scopes))
  for (const pair of granted) {
    const [object, action] = pair.split(':') as [SecuredObject, Action]
    if (!caller.can(object, action)) beyond.push(pair)
  }
  for (const object of ROW_SCOPED) {
    if (!granted.has(`${object}:read`)) continue
    const theirs = role.rowScopes[object] ?? 'own'
    if (REACH[theirs] > REACH[caller.rowScope(object)]) beyond.push(`${object} row scope ${theirs}`)
  }
  for (const object of Object.keys(RESTRICTABLE_FIELDS) as RestrictableObject[]) {
    if (!granted.has(`${object}:read`)) continue
    for (const field of RESTRICTABLE_FIELDS[object]) {
      const mine = caller.fieldAccess(object, field)
      const theirs = role.fieldRules[object]?.[field]
      if (mine === 'hidden' && theirs !== 'hidden') beyond.push(`${object}.${field} visible`)
      if (mine === 'read_only' && theirs === undefined) beyond.push(`${object}.${field} editable`)
    }
  }
  return beyond
}
