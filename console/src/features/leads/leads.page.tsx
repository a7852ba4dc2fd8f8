import { Page } from '../../ui/page'

export default function Placeholder() {
  return (
    <Page title="leads">
      <p>Not built yet.</p>
    </Page>
  )
}
