import { Page } from '../../ui/page'

export default function Placeholder() {
  return (
    <Page title="dashboards">
      <p>Not built yet.</p>
    </Page>
  )
}
