import { Page } from '../../ui/page'

export default function Placeholder() {
  return (
    <Page title="channels">
      <p>Not built yet.</p>
    </Page>
  )
}
