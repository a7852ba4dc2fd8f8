import { useEffect, useRef } from 'react'

/**
 * Focus for a view that replaces another inside a page (a form's detail after the list):
 * its heading takes focus, so keyboard and screen reader users land where the content is.
 */
export function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null)
  useEffect(() => {
    ref.current?.focus({ preventScroll: false })
  }, [])
  return ref
}
