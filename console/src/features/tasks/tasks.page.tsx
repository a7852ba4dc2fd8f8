import { Page } from '../../ui/page'

export default function Placeholder() {
  return (
    <Page title="tasks">
      <p>Not built yet.</p>
    </Page>
  )
}
