import { Page } from '../../ui/page'

export default function Placeholder() {
  return (
    <Page title="imports">
      <p>Not built yet.</p>
    </Page>
  )
}
