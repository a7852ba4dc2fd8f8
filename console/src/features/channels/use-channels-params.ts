import { useCallback } from 'react'
import { useSearchParams } from 'react-router'

type Change = Record<string, string | null>

/**
 * The channels page keeps what it shows in the query string (?tab=forms&form=pricing), so
 * every view has a link and the browser's back button steps through them.
 */
export function useChannelsParams() {
  const [params, setParams] = useSearchParams()
  const next = useCallback(
    (change: Change) => {
      const copy = new URLSearchParams(params)
      for (const [key, value] of Object.entries(change)) {
        if (value === null) copy.delete(key)
        else copy.set(key, value)
      }
      return copy
    },
    [params],
  )
  const go = useCallback((change: Change) => setParams(next(change)), [next, setParams])
  const href = useCallback((change: Change) => `?${next(change).toString()}`, [next])
  return { params, go, href }
}
