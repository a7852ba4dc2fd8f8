import { useId } from 'react'

/** Choices shown all at once (a fieldset with a legend): arrow keys move between them, as native radios do. */
export function RadioGroup<T extends string>({
  legend,
  name,
  options,
  value,
  onChange,
  error,
  inline = false,
}: {
  legend: string
  name: string
  options: readonly { value: T; label: string; hint?: string }[]
  value: T
  onChange: (value: T) => void
  error?: string | undefined
  inline?: boolean
}) {
  const id = useId()
  return (
    <fieldset
      className={inline ? 'radio-group inline' : 'radio-group'}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className="radio">
          <input
            type="radio"
            name={`${name}-${id}`}
            value={o.value}
            checked={value === o.value}
            onChange={() => onChange(o.value)}
          />
          <span>
            {o.label}
            {o.hint ? <span className="muted small"> {o.hint}</span> : null}
          </span>
        </label>
      ))}
      {error ? (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      ) : null}
    </fieldset>
  )
}
