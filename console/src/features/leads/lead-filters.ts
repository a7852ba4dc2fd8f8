import type { Query } from '../../api/client'

/*
 * The lead list's filters as they live in the address bar (so a copied link keeps them) and
 * as the API wants them. Dates in the URL are the person's calendar days; the API gets the
 * instants their day starts (createdTo is exclusive, so the day after "to").
 */

export interface LeadFilters {
  q: string
  status: string
  channel: string
  minScore: string
  mine: boolean
  from: string
  to: string
  sort: string
}

export const NO_FILTERS: LeadFilters = {
  q: '',
  status: '',
  channel: '',
  minScore: '',
  mine: false,
  from: '',
  to: '',
  sort: '-createdAt',
}

export function filtersFromUrl(params: URLSearchParams): LeadFilters {
  return {
    q: params.get('q') ?? '',
    status: params.get('status') ?? '',
    channel: params.get('channel') ?? '',
    minScore: params.get('minScore') ?? '',
    mine: params.get('mine') === '1',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    sort: params.get('sort') ?? NO_FILTERS.sort,
  }
}

export function filtersToUrl(f: LeadFilters): URLSearchParams {
  const params = new URLSearchParams()
  if (f.q) params.set('q', f.q)
  if (f.status) params.set('status', f.status)
  if (f.channel) params.set('channel', f.channel)
  if (f.minScore) params.set('minScore', f.minScore)
  if (f.mine) params.set('mine', '1')
  if (f.from) params.set('from', f.from)
  if (f.to) params.set('to', f.to)
  if (f.sort !== NO_FILTERS.sort) params.set('sort', f.sort)
  return params
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

/** Local midnight of a YYYY-MM-DD day, `plusDays` later, as an ISO instant. */
function dayStart(day: string, plusDays = 0): string | undefined {
  if (!DATE.test(day)) return undefined
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  const at = new Date(y, m - 1, d + plusDays)
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString()
}

export function filtersToQuery(f: LeadFilters, myId: string): Query {
  const score = Number(f.minScore)
  return {
    // The API searches from two characters; one would only be refused.
    q: f.q.trim().length >= 2 ? f.q.trim() : undefined,
    status: f.status || undefined,
    channel: f.channel || undefined,
    minScore: f.minScore !== '' && Number.isInteger(score) && score >= 0 && score <= 100 ? score : undefined,
    ownerId: f.mine ? myId : undefined,
    createdFrom: f.from ? dayStart(f.from) : undefined,
    createdTo: f.to ? dayStart(f.to, 1) : undefined,
    sort: f.sort,
    limit: 50,
  }
}

export function activeFilterCount(f: LeadFilters): number {
  return [f.q, f.status, f.channel, f.minScore, f.mine ? '1' : '', f.from, f.to].filter(Boolean).length
}
