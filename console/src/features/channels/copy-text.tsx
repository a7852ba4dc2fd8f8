import { useRef, useState } from 'react'
import { Button } from '../../ui/button'

/**
 * Text to copy (a snippet, a URL, a key) in a read-only block with a Copy button. The
 * clipboard API needs a secure context and the browser's leave; when it refuses, the text
 * is selected instead so Ctrl+C / ⌘C copies it. The outcome is announced (role=status).
 */
export function CopyText({
  text,
  label,
  multiline = false,
}: {
  text: string
  /** What is copied, for the button's accessible name: "Copy embed snippet". */
  label: string
  multiline?: boolean
}) {
  const block = useRef<HTMLElement | null>(null)
  const keep = (node: HTMLElement | null) => {
    block.current = node
  }
  const [said, setSaid] = useState('')

  const selectText = () => {
    const node = block.current
    const selection = window.getSelection()
    if (!node || !selection) return
    const range = document.createRange()
    range.selectNodeContents(node)
    selection.removeAllRanges()
    selection.addRange(range)
  }

  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard')
      await navigator.clipboard.writeText(text)
      setSaid('Copied to the clipboard.')
    } catch {
      selectText()
      setSaid('Selected: press Ctrl+C (⌘C on a Mac) to copy.')
    }
  }

  const actions = (
    <div className="ch-copy-text-actions">
      <Button onClick={() => void copy()} aria-label={`Copy ${label}`}>
        Copy
      </Button>
      <span className="small muted" role="status" aria-live="polite">
        {said}
      </span>
    </div>
  )
  // A long block gets its button above it, where it is seen without scrolling past the text.
  return multiline ? (
    <div className="ch-copy-text ch-copy-text-block">
      {actions}
      <pre ref={keep} className="ch-copy-text-value">
        <code>{text}</code>
      </pre>
    </div>
  ) : (
    <div className="ch-copy-text">
      <code ref={keep} className="ch-copy-text-value">
        {text}
      </code>
      {actions}
    </div>
  )
}
