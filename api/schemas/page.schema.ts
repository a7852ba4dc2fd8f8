import { Type, type TSchema } from 'typebox'

/*
 * The paging part of every list endpoint: `limit` and `cursor` in, `items` and
 * `nextCursor` out (api/queries/keyset.ts does the keyset work).
 */
export const PageQueryFields = {
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  cursor: Type.Optional(
    Type.String({ maxLength: 200, description: 'The previous page’s nextCursor; omit for the first page.' }),
  ),
}

/** `{ items: T[], nextCursor }` titled for the OpenAPI document. */
export function PageOf<T extends TSchema>(item: T, title: string) {
  return Type.Object(
    {
      items: Type.Array(item),
      nextCursor: Type.Union([Type.String(), Type.Null()], {
        description: 'Pass as `cursor` for the next page; null on the last page.',
      }),
    },
    { title },
  )
}
