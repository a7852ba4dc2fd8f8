import {
  keepPreviousData,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query'
import { api, type Page, type Query } from '../../api/client'
import { isOpenStage, type MoveRequest, type Opportunity } from './pipeline.types'

/*
 * The board's data: every open deal the caller sees (soonest close first, as the API
 * sorts), plus the deals closed in the last CLOSED_DAYS for the Won and Lost columns, in
 * one cached list so a move can be shown at once and put back if the API refuses it.
 */

const PAGE_SIZE = 200
/** Beyond this many open deals a board stops being readable: the owner filter narrows it. */
const MAX_OPEN = 1000
const MAX_CLOSED = 400
export const CLOSED_DAYS = 30

export interface Board {
  deals: Opportunity[]
  /** More deals exist than the board loaded. */
  truncated: boolean
}

export const boardKey = (ownerId: string) => ['pipeline', 'board', ownerId] as const
type BoardKey = ReturnType<typeof boardKey>

/** A calendar day in the browser's zone, 'YYYY-MM-DD', as the API's date filters take it. */
function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

async function loadAll(query: Query, max: number, signal: AbortSignal) {
  const items: Opportunity[] = []
  let cursor: string | null = null
  do {
    const page: Page<Opportunity> = await api<Page<Opportunity>>('/v1/opportunities', {
      query: { ...query, limit: PAGE_SIZE, cursor },
      signal,
    })
    items.push(...page.items)
    cursor = page.nextCursor
  } while (cursor && items.length < max)
  return { items, truncated: cursor !== null }
}

export function useBoard(ownerId: string) {
  return useQuery({
    queryKey: boardKey(ownerId),
    queryFn: async ({ signal }): Promise<Board> => {
      const owner = { ownerId: ownerId || undefined }
      const since = localDay(new Date(Date.now() - CLOSED_DAYS * 86_400_000))
      const [open, closed] = await Promise.all([
        loadAll({ ...owner, open: true }, MAX_OPEN, signal),
        loadAll({ ...owner, open: false, closeDateFrom: since }, MAX_CLOSED, signal),
      ])
      return { deals: [...open.items, ...closed.items], truncated: open.truncated || closed.truncated }
    },
    // Switching owners keeps the last board on screen until the next one arrives: no flash.
    placeholderData: keepPreviousData,
  })
}

function patchDeal(
  client: QueryClient,
  key: BoardKey,
  id: string,
  change: (deal: Opportunity) => Opportunity,
) {
  client.setQueryData<Board>(key, (board) =>
    board ? { ...board, deals: board.deals.map((d) => (d.id === id ? change(d) : d)) } : board,
  )
}

function send(move: MoveRequest): Promise<Opportunity> {
  const path = `/v1/opportunities/${move.deal.id}`
  switch (move.to) {
    case 'closed_won':
      return api<Opportunity>(`${path}/win`, { method: 'POST', body: { reason: move.reason } })
    case 'closed_lost':
      return api<Opportunity>(`${path}/lose`, {
        method: 'POST',
        body: { reason: move.reason, ...(move.competitor ? { competitor: move.competitor } : {}) },
      })
    default:
      return api<Opportunity>(`${path}/stage`, { method: 'POST', body: { stage: move.to } })
  }
}

/**
 * Moves a deal. A move between open stages is shown at once (the card goes to its new
 * column) and put back if the API refuses it; winning or losing is final and needs a
 * reason, so that card moves only once the API has accepted it.
 */
export function useMoveDeal(ownerId: string) {
  const client = useQueryClient()
  const key = boardKey(ownerId)
  return useMutation({
    mutationFn: send,
    onMutate: async (move) => {
      if (isOpenStage(move.to)) {
        await client.cancelQueries({ queryKey: key })
        const to = move.to
        patchDeal(client, key, move.deal.id, (d) => ({ ...d, stage: to }))
      }
      return { before: move.deal }
    },
    onSuccess: (saved) => {
      // The API's answer carries the new probability and forecast category.
      patchDeal(client, key, saved.id, (d) => ({ ...d, ...saved }))
      // Boards of other owners may hold this deal too: fetch them afresh when next shown.
      void client.invalidateQueries({ queryKey: ['pipeline', 'board'], refetchType: 'none' })
    },
    onError: (_error, move, context) => {
      if (context) patchDeal(client, key, move.deal.id, () => context.before)
      // What the API refused may be because the deal changed elsewhere: show what it holds now.
      void client.invalidateQueries({ queryKey: key })
    },
  })
}
