import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { api } from '../../api/client'
import { useSession } from '../../auth/session'
import { Button } from '../../ui/button'
import { formatNumber } from '../../ui/format'
import { Badge, Empty, Loading } from '../../ui/page'
import { ProblemAlert } from '../../ui/problem-alert'
import { useCursorList } from '../../ui/use-cursor-list'
import { ActorName } from './actor-name'
import type { FormEmbed, WebForm } from './channel.types'
import { CopyText } from './copy-text'
import { FormEditor } from './form-editor'
import { askedFields, channelLabel, labelOf } from './form-fields'
import { useChannelsParams } from './use-channels-params'
import { useFocusOnMount } from './use-focus-on-mount'
import { When } from './when'

/**
 * Web forms: the list, a form's page (its embed snippet and hosted link), and the editor.
 * Which one shows is in the URL (?tab=forms&form=<id>&edit=1), so each has its own link.
 */
export function FormsTab() {
  const { can } = useSession()
  const { params, go } = useChannelsParams()
  const formId = params.get('form')
  const editing = params.get('edit') === '1'

  if (formId === 'new' && can('channel', 'create'))
    return <FormEditor onDone={(saved) => go({ form: saved.id })} onCancel={() => go({ form: null })} />
  if (formId && formId !== 'new')
    return <FormView id={formId} editing={editing && can('channel', 'update')} />
  return <FormList />
}

function FormList() {
  const { can } = useSession()
  const { href, go } = useChannelsParams()
  const forms = useCursorList<WebForm>(['forms'], '/v1/forms', { limit: 50 })
  return (
    <section aria-labelledby="forms-title">
      <div className="ch-section-header">
        <h2 id="forms-title">Web forms</h2>
        {can('channel', 'create') ? (
          <Button variant="primary" onClick={() => go({ form: 'new' })}>
            New form
          </Button>
        ) : null}
      </div>
      {forms.isPending ? <Loading label="Loading forms…" /> : null}
      <ProblemAlert error={forms.error} />
      {!forms.isPending && !forms.error && forms.items.length === 0 ? (
        <Empty>
          No forms yet.{' '}
          {can('channel', 'create')
            ? 'Create one, then paste its snippet on your site or share its hosted page.'
            : ''}
        </Empty>
      ) : null}
      {forms.items.length > 0 ? (
        <div className="ch-table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Form</th>
                <th scope="col">Status</th>
                <th scope="col">Asks for</th>
                <th scope="col" className="num">
                  Allowed sites
                </th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {forms.items.map((form) => (
                <tr key={form.id}>
                  <th scope="row">
                    <Link to={href({ form: form.id })}>{form.name}</Link>
                    <span className="ch-block small muted">/f/{form.id}</span>
                  </th>
                  <td>{form.isActive ? <Badge tone="good">Active</Badge> : <Badge>Inactive</Badge>}</td>
                  <td className="small">{askedFields(form).map(labelOf).join(', ')}</td>
                  <td className="num">{formatNumber(form.allowedOrigins.length)}</td>
                  <td>
                    <When iso={form.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {forms.hasNextPage ? (
        <Button onClick={forms.loadMore} busy={forms.isFetchingNextPage}>
          Show more forms
        </Button>
      ) : null}
    </section>
  )
}

function FormView({ id, editing }: { id: string; editing: boolean }) {
  const { go } = useChannelsParams()
  const form = useQuery({
    queryKey: ['forms', id],
    queryFn: ({ signal }) => api<WebForm>(`/v1/forms/${encodeURIComponent(id)}`, { signal }),
  })
  if (form.isPending) return <Loading label="Loading the form…" />
  if (form.error)
    return (
      <>
        <BackToForms />
        <ProblemAlert error={form.error} />
      </>
    )
  if (editing)
    return (
      <FormEditor
        form={form.data}
        onDone={(saved) => go({ form: saved.id, edit: null })}
        onCancel={() => go({ form: id, edit: null })}
      />
    )
  return <FormDetail form={form.data} />
}

function BackToForms() {
  const { href } = useChannelsParams()
  return (
    <p>
      <Link to={href({ form: null, edit: null })}>← All forms</Link>
    </p>
  )
}

function FormDetail({ form }: { form: WebForm }) {
  const { can } = useSession()
  const { go } = useChannelsParams()
  const heading = useFocusOnMount<HTMLHeadingElement>()
  const fields = askedFields(form).map(labelOf)
  return (
    <section aria-labelledby="form-title">
      <BackToForms />
      <div className="ch-section-header">
        <h2 id="form-title" ref={heading} tabIndex={-1}>
          {form.name} {form.isActive ? <Badge tone="good">Active</Badge> : <Badge>Inactive</Badge>}
        </h2>
        <div className="row">
          <a className="btn btn-secondary" href={form.hostedUrl} target="_blank" rel="noopener noreferrer">
            Open hosted page<span className="visually-hidden"> (opens in a new tab)</span>
          </a>
          {can('channel', 'update') ? (
            <Button onClick={() => go({ form: form.id, edit: '1' })}>Edit form</Button>
          ) : null}
        </div>
      </div>
      <div className="grid ch-form-detail">
        <div className="card">
          <h3>Settings</h3>
          <dl className="facts">
            <dt>Form id</dt>
            <dd>
              <code>{form.id}</code>
            </dd>
            <dt>Asks for</dt>
            <dd>{fields.join(', ')}</dd>
            <dt>Consent wording</dt>
            <dd>
              {form.consentText ?? <span className="muted">None (no consent box)</span>}
              {form.consentTextVersion ? (
                <span className="ch-block small muted">Version {form.consentTextVersion}</span>
              ) : null}
            </dd>
            {form.consentText ? (
              <>
                <dt>Consent covers</dt>
                <dd>
                  {form.consentChannels.length > 0
                    ? form.consentChannels.map(channelLabel).join(', ')
                    : 'Every channel'}
                </dd>
              </>
            ) : null}
            <dt>Allowed sites</dt>
            <dd>
              {form.allowedOrigins.length > 0 ? (
                <ul className="ch-plain-list">
                  {form.allowedOrigins.map((o) => (
                    <li key={o}>
                      <code>{o}</code>
                    </li>
                  ))}
                </ul>
              ) : (
                <span className="muted">None: only the hosted page can post it</span>
              )}
            </dd>
            <dt>After sending</dt>
            <dd>
              {form.redirectUrl
                ? `Opens ${form.redirectUrl}`
                : (form.successMessage ?? 'Thank you! We will be in touch soon.')}
            </dd>
            <dt>Campaign defaults</dt>
            <dd>
              {Object.entries(form.attribution)
                .filter(([, v]) => v)
                .map(([k, v]) => `${k}: ${v}`)
                .join(' · ') || <span className="muted">None</span>}
            </dd>
            <dt>Rate limit</dt>
            <dd>{formatNumber(form.rateLimitPerMinute)} submissions a minute per visitor</dd>
            <dt>Updated</dt>
            <dd>
              <When iso={form.updatedAt} />{' '}
              <span className="muted small">
                by <ActorName actor={form.updatedBy} />
              </span>
            </dd>
          </dl>
        </div>
        <EmbedCard form={form} />
      </div>
    </section>
  )
}

function EmbedCard({ form }: { form: WebForm }) {
  const embed = useQuery({
    queryKey: ['forms', form.id, 'embed', form.updatedAt],
    queryFn: ({ signal }) => api<FormEmbed>(`/v1/forms/${encodeURIComponent(form.id)}/embed`, { signal }),
  })
  return (
    <div className="card ch-embed-card">
      <h3 id="embed-title">Embed snippet</h3>
      <p className="small">
        Paste it where the form should appear on a page of an allowed site. It works without JavaScript; its
        script fills the campaign fields and sends the form without leaving the page.
      </p>
      {form.allowedOrigins.length === 0 ? (
        <p className="alert alert-info small">
          No site is allowed yet: add your site&apos;s origin (Edit form) before pasting the snippet.
        </p>
      ) : null}
      {embed.isPending ? <Loading label="Loading the snippet…" /> : null}
      <ProblemAlert error={embed.error} />
      {embed.data ? (
        <>
          <div data-testid="embed-snippet">
            <CopyText text={embed.data.html} label="embed snippet" multiline />
          </div>
          <h3 className="ch-section-gap">Hosted page</h3>
          <p className="small">A page of its own, for a link in an email, an ad or a QR code.</p>
          <CopyText text={embed.data.hostedUrl} label="hosted page link" />
        </>
      ) : null}
    </div>
  )
}
