import { Page } from '../../ui/page'

export default function Placeholder() {
  return (
    <Page title="pipeline">
      <p>Not built yet.</p>
    </Page>
  )
}
