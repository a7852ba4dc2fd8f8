import { Type, type Static } from 'typebox'

/**
 * RFC 9457 problem details. Registered once as a shared schema: the serializer drops any
 * field a schema does not declare, so every extension member we send is listed here.
 */
export const Problem = Type.Object(
  {
    type: Type.String({ description: 'Stable URI naming the kind of problem (one per error code).' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(
      Type.String({ description: 'The request id: quote it when reporting a problem.' }),
    ),
    code: Type.String({ description: 'Machine-readable error code.' }),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          pointer: Type.String({ description: 'JSON pointer to the failing field, e.g. /body/email.' }),
          message: Type.String(),
        }),
      ),
    ),
  },
  { $id: 'Problem', title: 'Problem' },
)
export type ProblemBody = Static<typeof Problem>

export const ProblemRef = Type.Unsafe<ProblemBody>(Type.Ref('Problem'))

const problemContent = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemRef } },
})

/** The error responses every route declares, under the media type they are sent with. */
export const problemResponses = {
  '4xx': problemContent('The request was refused: see `code`, `detail` and `errors[]`.'),
  '5xx': problemContent('The server could not complete the request; quote `instance` when reporting it.'),
} as const
