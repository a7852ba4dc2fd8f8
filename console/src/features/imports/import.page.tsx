import { Page } from '../../ui/page'

export default function Placeholder() {
  return (
    <Page title="import">
      <p>Not built yet.</p>
    </Page>
  )
}
