import { Page } from '../../ui/page'
import './channels.css'
import { ConnectorsOverview } from './connectors-overview'
import { FormsTab } from './forms-tab'
import { PartnersTab } from './partners-tab'
import { Tabs } from './tabs'
import { useChannelsParams } from './use-channels-params'
import { WhatsAppTab } from './whatsapp-tab'

const TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'forms', label: 'Web forms' },
  { id: 'whatsapp', label: 'WhatsApp' },
  { id: 'partners', label: 'Partners' },
] as const
type TabId = (typeof TABS)[number]['id']

/**
 * Channel setup for marketing: how each capture channel is doing, the web forms and their
 * snippets, WhatsApp pairing, and partners with their keys. The open tab and the record
 * shown are in the URL.
 */
export default function ChannelsPage() {
  const { params, go } = useChannelsParams()
  const asked = params.get('tab')
  const tab: TabId = TABS.some((t) => t.id === asked) ? (asked as TabId) : 'overview'
  return (
    <Page title="Channels">
      <Tabs
        label="Channel setup"
        tabs={TABS}
        selected={tab}
        // A new tab starts on its list, not on the record another tab had open.
        onSelect={(id) => go({ tab: id, form: null, edit: null, partner: null })}
      >
        {tab === 'overview' ? <ConnectorsOverview /> : null}
        {tab === 'forms' ? <FormsTab /> : null}
        {tab === 'whatsapp' ? <WhatsAppTab /> : null}
        {tab === 'partners' ? <PartnersTab /> : null}
      </Tabs>
    </Page>
  )
}
