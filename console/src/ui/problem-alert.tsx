import { ApiError } from '../api/client'

/** An API failure as the person can act on it: the problem's title and detail, and the request id for support. */
export function ProblemAlert({ error }: { error: unknown }) {
  if (!error) return null
  const problem = error instanceof ApiError ? error : null
  return (
    <div className="alert alert-error" role="alert">
      <strong>{problem ? problem.title : 'Something went wrong'}</strong>
      {problem && problem.message !== problem.title ? <p>{problem.message}</p> : null}
      {!problem && error instanceof Error ? <p>{error.message}</p> : null}
      {problem && problem.fieldErrors.length > 0 ? (
        <ul>
          {problem.fieldErrors.map((e) => (
            <li key={e.pointer + e.message}>
              <code>{e.pointer.replace(/^\/body\//, '')}</code>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      {problem?.requestId ? <p className="muted small">Request id {problem.requestId}</p> : null}
    </div>
  )
}
