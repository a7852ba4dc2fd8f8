import { useCallback, useEffect, useRef, useState } from 'react'

/*
 * The outcome of an action, announced politely: the live region is always in the page (a
 * region that appears with its text is often not read out), and the message clears itself
 * after a while so an old success does not linger next to new work.
 */

const CLEAR_AFTER_MS = 12_000

export function useFlash() {
  const [message, setMessage] = useState<string | null>(null)
  const timer = useRef<number | undefined>(undefined)
  useEffect(() => () => window.clearTimeout(timer.current), [])
  const show = useCallback((text: string) => {
    window.clearTimeout(timer.current)
    setMessage(text)
    timer.current = window.setTimeout(() => setMessage(null), CLEAR_AFTER_MS)
  }, [])
  return { message, show, clear: () => setMessage(null) }
}

export function Flash({ message }: { message: string | null }) {
  return (
    <div role="status" aria-live="polite" className="flash">
      {message ? <p className="alert alert-success">{message}</p> : null}
    </div>
  )
}
