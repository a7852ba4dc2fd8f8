import { useCallback, useMemo } from 'react'
import { useSearchParams } from 'react-router'
import { useSession } from '../../auth/session'
import { Button } from '../../ui/button'
import { Empty, Loading, Page } from '../../ui/page'
import { ProblemAlert } from '../../ui/problem-alert'
import { LeadFilterBar } from './lead-filter-bar'
import {
  activeFilterCount,
  filtersFromUrl,
  filtersToQuery,
  filtersToUrl,
  type LeadFilters,
} from './lead-filters'
import { LeadsTable } from './leads-table'
import { useLeadList } from './use-lead-list'
import { useUserNames } from './use-user-names'
import './sdr-common.css'
import './leads.css'

/** Leads the person sees, filtered and searched, newest first by default; the filters live in the URL. */
export default function LeadsPage() {
  const { me } = useSession()
  const [params, setParams] = useSearchParams()
  const filters = useMemo(() => filtersFromUrl(params), [params])
  const query = useMemo(() => filtersToQuery(filters, me.user.id), [filters, me.user.id])
  const onChange = useCallback(
    (next: LeadFilters, options?: { replace?: boolean }) =>
      setParams(filtersToUrl(next), { replace: options?.replace ?? false }),
    [setParams],
  )
  const list = useLeadList(query)
  const ownerName = useUserNames(list.items.map((l) => l.ownerId))
  const filtered = activeFilterCount(filters) > 0

  return (
    <Page title="Leads">
      <LeadFilterBar filters={filters} onChange={onChange} />
      <p className="muted small leads-meta" role="status" aria-live="polite">
        {list.isPending
          ? ''
          : list.isFetching && !list.isFetchingNextPage
            ? 'Updating…'
            : `${list.items.length}${list.hasNextPage ? '+' : ''} lead${list.items.length === 1 ? '' : 's'} shown`}
      </p>
      {list.isPending ? (
        <Loading label="Loading leads…" />
      ) : list.error && list.items.length === 0 ? (
        <ProblemAlert error={list.error} />
      ) : list.items.length === 0 ? (
        <Empty>{filtered ? 'No lead matches these filters.' : 'No leads yet.'}</Empty>
      ) : (
        <div aria-busy={list.isPlaceholderData || undefined}>
          <LeadsTable leads={list.items} ownerName={ownerName} />
          {list.error ? <ProblemAlert error={list.error} /> : null}
          {list.hasNextPage ? (
            <div className="load-more">
              <Button onClick={list.loadMore} busy={list.isFetchingNextPage}>
                Load more
              </Button>
            </div>
          ) : null}
        </div>
      )}
    </Page>
  )
}
