import { useQuery, useQueryClient } from '@tanstack/react-query'
import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react'
import { api, ApiError, SIGNED_OUT_EVENT } from '../api/client'

/*
 * Who is signed in, and what they may do: GET /v1/auth/me gives the role's permissions per
 * object and its field rules. The console hides what the role may not use; the API still
 * decides (a hidden button is a courtesy, the 403 is the rule).
 */

export interface Me {
  user: { id: string; name: string; email: string; managerId: string | null; lastLoginAt: string | null }
  role: { name: string; title: string }
  permissions: Record<string, string[]>
  rowScopes: Record<string, string>
  fieldRules: Record<string, Record<string, string>>
}

export interface Session {
  me: Me
  can(object: string, action?: string): boolean
  /** 'hidden', 'read_only' or undefined for a field of an object. */
  fieldAccess(object: string, field: string): string | undefined
  signOut(): Promise<void>
}

const SessionContext = createContext<Session | null>(null)
export const ME_KEY = ['auth', 'me'] as const

export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async () => {
      try {
        return await api<Me>('/v1/auth/me')
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null
        throw err
      }
    },
    staleTime: 60_000,
    retry: false,
  })
}

export function SessionProvider({ me, children }: { me: Me; children: ReactNode }) {
  const queryClient = useQueryClient()
  const signOut = useCallback(async () => {
    await api('/v1/auth/logout', { method: 'POST', body: {} }).catch(() => undefined)
    queryClient.setQueryData(ME_KEY, null)
    // Nothing the last person loaded stays in memory for the next one.
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== ME_KEY[0] })
  }, [queryClient])

  // Any 401 (expired or revoked session) drops back to the sign-in page.
  useEffect(() => {
    const onSignedOut = () => queryClient.setQueryData(ME_KEY, null)
    window.addEventListener(SIGNED_OUT_EVENT, onSignedOut)
    return () => window.removeEventListener(SIGNED_OUT_EVENT, onSignedOut)
  }, [queryClient])

  const session = useMemo<Session>(
    () => ({
      me,
      can: (object, action = 'read') => me.permissions[object]?.includes(action) ?? false,
      fieldAccess: (object, field) => me.fieldRules[object]?.[field],
      signOut,
    }),
    [me, signOut],
  )
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>
}

export function useSession(): Session {
  const session = useContext(SessionContext)
  if (!session) throw new Error('useSession outside SessionProvider')
  return session
}
