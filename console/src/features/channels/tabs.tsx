import { useId, type ReactNode } from 'react'
import { useTabKeys } from '../../ui/use-tab-keys'

export interface Tab {
  id: string
  label: string
}

/**
 * ARIA tabs (https://www.w3.org/WAI/ARIA/apg/patterns/tabs/): one tab stop for the list,
 * arrow keys, Home and End move between tabs and open them. The open tab lives in the URL
 * (the caller's `selected`), so a link or a reload lands on the same one.
 */
export function Tabs({
  label,
  tabs,
  selected,
  onSelect,
  children,
}: {
  label: string
  tabs: readonly Tab[]
  selected: string
  onSelect: (id: string) => void
  children: ReactNode
}) {
  const base = useId()
  const { tabRef, onKeyDown } = useTabKeys(
    tabs.map((t) => t.id),
    onSelect,
  )
  return (
    <div className="ch-tabs">
      <div role="tablist" aria-label={label} className="ch-tab-list">
        {tabs.map((tab, index) => {
          const active = tab.id === selected
          return (
            <button
              key={tab.id}
              ref={tabRef(tab.id)}
              type="button"
              role="tab"
              id={`${base}-${tab.id}-tab`}
              aria-selected={active}
              aria-controls={`${base}-${tab.id}-panel`}
              tabIndex={active ? 0 : -1}
              className="ch-tab"
              onClick={() => onSelect(tab.id)}
              onKeyDown={(event) => onKeyDown(event, index)}
            >
              {tab.label}
            </button>
          )
        })}
      </div>
      <div
        role="tabpanel"
        id={`${base}-${selected}-panel`}
        aria-labelledby={`${base}-${selected}-tab`}
        className="ch-tab-panel"
      >
        {children}
      </div>
    </div>
  )
}
