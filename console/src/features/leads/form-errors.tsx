import { ApiError } from '../../api/client'
import { ProblemAlert } from '../../ui/problem-alert'

/** Pointers from the body schema start with /body; a journey's own refusals may not. */
const normal = (pointer: string) => (pointer.startsWith('/body') ? pointer : `/body${pointer}`)

/** The API's message for one input, by its exact JSON pointer (`/body/criteria/budget/amount`). */
export function fieldError(error: unknown, pointer: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined
  return error.fieldErrors.find((e) => normal(e.pointer) === pointer)?.message
}

/**
 * A failed submit above its form. When every field error has an input to sit next to, the
 * alert only says so; otherwise it lists what the form cannot place, so nothing is lost.
 */
export function FormProblem({ error, placed }: { error: unknown; placed: readonly string[] }) {
  if (!error) return null
  if (
    error instanceof ApiError &&
    error.fieldErrors.length > 0 &&
    error.fieldErrors.every((e) => placed.includes(normal(e.pointer)))
  )
    return (
      <div className="alert alert-error" role="alert">
        <strong>{error.title}</strong>
        <p>Check the fields marked below.</p>
      </div>
    )
  return <ProblemAlert error={error} />
}
