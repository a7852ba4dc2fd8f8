import { Page } from '../../ui/page'

export default function Placeholder() {
  return (
    <Page title="lead">
      <p>Not built yet.</p>
    </Page>
  )
}
