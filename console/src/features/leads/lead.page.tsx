import { useCallback } from 'react'
import { Link, useParams } from 'react-router'
import { ApiError } from '../../api/client'
import { useSession } from '../../auth/session'
import { Loading, Page } from '../../ui/page'
import { ProblemAlert } from '../../ui/problem-alert'
import { Flash, useFlash } from './flash'
import { LeadActions } from './lead-actions'
import { LeadAttributionCard } from './lead-attribution-card'
import { LeadConsentCard } from './lead-consent-card'
import { LeadDetailsCard } from './lead-details-card'
import { LeadDuplicatesCard } from './lead-duplicates-card'
import { leadName } from './lead-format'
import { LeadJourneyCard } from './lead-journey-card'
import { LeadScoreCard } from './lead-score-card'
import { LeadSummary } from './lead-summary'
import { LeadTimeline } from './lead-timeline'
import { QualificationCard } from './qualification-card'
import { useJourney, useLead, useRefreshLead } from './use-lead'
import { useUserNames } from './use-user-names'
import './sdr-common.css'
import './leads.css'

/**
 * One lead, everything an SDR needs before and after a call: who it is, its score and why,
 * consent, duplicates, where it came from, the journey's stage and next step, the actions
 * that move it, and the full timeline.
 */
export default function LeadPage() {
  const { id = '' } = useParams()
  const { can } = useSession()
  const lead = useLead(id)
  const journey = useJourney(id)
  const refresh = useRefreshLead(id)
  const flash = useFlash()
  const ownerName = useUserNames([lead.data?.ownerId, journey.data?.ownerId])
  const { watch } = journey
  const { show } = flash

  const onDone = useCallback(
    (message: string, signalled: boolean) => {
      show(message)
      void refresh()
      if (signalled) watch()
    },
    [show, refresh, watch],
  )

  if (lead.isPending)
    return (
      <Page title="Lead">
        <Loading label="Loading the lead…" />
      </Page>
    )
  if (lead.error)
    return (
      <Page title={lead.error instanceof ApiError && lead.error.status === 404 ? 'Lead not found' : 'Lead'}>
        {lead.error instanceof ApiError && lead.error.status === 404 ? (
          <p>This lead does not exist, or it is not one you can see.</p>
        ) : (
          <ProblemAlert error={lead.error} />
        )}
        <p>
          <Link to="/leads">Back to leads</Link>
        </p>
      </Page>
    )

  const data = lead.data
  return (
    <Page title={leadName(data)}>
      <nav aria-label="Breadcrumb" className="breadcrumb small">
        <Link to="/leads">Leads</Link> <span aria-hidden="true">›</span>{' '}
        <span aria-current="page">{leadName(data)}</span>
      </nav>
      <LeadSummary lead={data} journey={journey.data} ownerName={ownerName} />
      <Flash message={flash.message} />
      <LeadActions lead={data} stage={journey.data?.stage} onDone={onDone} ownerName={ownerName} />
      <div className="lead-columns">
        <div className="lead-column">
          {can('journey', 'read') ? (
            <LeadJourneyCard
              lead={data}
              journey={journey.data}
              error={journey.error}
              watching={journey.watching}
            />
          ) : null}
          <LeadScoreCard lead={data} />
          {can('journey', 'read') ? <QualificationCard leadId={id} /> : null}
        </div>
        <div className="lead-column">
          <LeadConsentCard lead={data} />
          <LeadDuplicatesCard lead={data} />
          <LeadAttributionCard lead={data} />
          <LeadDetailsCard lead={data} />
        </div>
      </div>
      {can('activity', 'read') ? <LeadTimeline leadId={id} /> : null}
    </Page>
  )
}
