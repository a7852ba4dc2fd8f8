import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useId, useState, type FormEvent } from 'react'
import { api, ApiError } from '../../api/client'
import { Button } from '../../ui/button'
import { TextAreaField, TextField } from '../../ui/field'
import { ProblemAlert } from '../../ui/problem-alert'
import { CONTACT_CHANNELS, type ContactChannel, type WebForm } from './channel.types'
import { errorsUnder, isUnder, lineErrors, SLUG_PATTERN, slugify } from './field-errors'
import { ASKABLE_FIELDS, askedFields, channelLabel, DEFAULT_FIELDS, mappingFor } from './form-fields'

type Asked = ReturnType<typeof askedFields>[number]

/** The body fields this editor shows errors for, next to their control. */
const SHOWN = [
  'name',
  'id',
  'fieldMapping',
  'consentText',
  'allowedOrigins',
  'successMessage',
  'redirectUrl',
  'attribution',
]

/** Empty text is "not set": the API takes null (or no key) there, never "". */
const orNull = (text: string) => (text.trim() === '' ? null : text.trim())

/**
 * Creates a web form, or edits one (`form` given): what it asks, its consent wording and
 * channels, the sites allowed to post it, and what a visitor sees after sending it. The
 * API's field errors are shown next to the control they concern.
 */
export function FormEditor({
  form,
  onDone,
  onCancel,
}: {
  form?: WebForm
  onDone: (form: WebForm) => void
  onCancel: () => void
}) {
  const queryClient = useQueryClient()
  const headingId = useId()
  const [name, setName] = useState(form?.name ?? '')
  const [id, setId] = useState(form?.id ?? '')
  const [idEdited, setIdEdited] = useState(false)
  const [asked, setAsked] = useState<Set<Asked>>(new Set(form ? askedFields(form) : DEFAULT_FIELDS))
  const [consentText, setConsentText] = useState(form?.consentText ?? '')
  const [channels, setChannels] = useState<Set<ContactChannel>>(new Set(form?.consentChannels ?? []))
  const [origins, setOrigins] = useState((form?.allowedOrigins ?? []).join('\n'))
  const [successMessage, setSuccessMessage] = useState(form?.successMessage ?? '')
  const [redirectUrl, setRedirectUrl] = useState(form?.redirectUrl ?? '')
  const [source, setSource] = useState(form?.attribution.source ?? '')
  const [medium, setMedium] = useState(form?.attribution.medium ?? '')
  const [campaign, setCampaign] = useState(form?.attribution.campaign ?? '')
  const [isActive, setIsActive] = useState(form?.isActive ?? true)

  const save = useMutation({
    mutationFn: () => {
      const attribution = Object.fromEntries(
        Object.entries({ source, medium, campaign }).flatMap(([k, v]) => (v.trim() ? [[k, v.trim()]] : [])),
      )
      const settings = {
        name: name.trim(),
        fieldMapping: mappingFor(asked, form?.fieldMapping),
        allowedOrigins: origins
          .split('\n')
          .map((o) => o.trim())
          .filter(Boolean),
        consentText: orNull(consentText),
        consentChannels: [...channels],
        successMessage: orNull(successMessage),
        redirectUrl: orNull(redirectUrl),
        attribution,
      }
      return form
        ? api<WebForm>(`/v1/forms/${encodeURIComponent(form.id)}`, {
            method: 'PATCH',
            body: { ...settings, isActive },
          })
        : api<WebForm>('/v1/forms', { method: 'POST', body: { id, ...settings } })
    },
    onSuccess: async (saved) => {
      queryClient.setQueryData(['forms', saved.id], saved)
      await queryClient.invalidateQueries({ queryKey: ['forms'] })
      onDone(saved)
    },
  })
  const error = save.error
  const originLines = lineErrors(error, 'allowedOrigins')
  const originError =
    originLines.size > 0
      ? [...originLines].map(([i, m]) => `Line ${i + 1}: ${m}`).join(' ')
      : errorsUnder(error, 'allowedOrigins')
  const mappingError = errorsUnder(error, 'fieldMapping')
  const fieldProblem = error instanceof ApiError && error.fieldErrors.length > 0
  // Field errors no control below shows (a rule on a field this editor does not offer).
  const unshown =
    error instanceof ApiError
      ? error.fieldErrors.filter((e) => !SHOWN.some((f) => isUnder(e.pointer, f)))
      : []

  const submit = (event: FormEvent) => {
    event.preventDefault()
    save.mutate()
  }
  const toggle = <T,>(set: Set<T>, value: T, on: boolean) => {
    const next = new Set(set)
    if (on) next.add(value)
    else next.delete(value)
    return next
  }

  return (
    <form className="card ch-form-editor" onSubmit={submit} aria-labelledby={headingId} noValidate>
      <h2 id={headingId}>{form ? `Edit “${form.name}”` : 'New web form'}</h2>
      {fieldProblem ? (
        <div className="alert alert-error" role="alert">
          <strong>The form was not saved.</strong>
          <p>See the messages next to the fields below.</p>
          {unshown.length > 0 ? (
            <ul>
              {unshown.map((e) => (
                <li key={e.pointer}>{e.message}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : (
        <ProblemAlert error={error} />
      )}
      <div className="row ch-fields">
        <TextField
          label="Form name"
          value={name}
          required
          maxLength={200}
          onChange={(e) => {
            setName(e.target.value)
            if (!form && !idEdited) setId(slugify(e.target.value))
          }}
          error={errorsUnder(error, 'name')}
        />
        {form ? null : (
          <TextField
            label="Form id"
            value={id}
            required
            pattern={SLUG_PATTERN}
            maxLength={63}
            hint="Lower-case letters, digits and dashes; part of the public URL /f/<id>. It cannot change later."
            onChange={(e) => {
              setId(e.target.value)
              setIdEdited(true)
            }}
            error={errorsUnder(error, 'id')}
          />
        )}
      </div>

      <fieldset aria-describedby={`${headingId}-fields-hint`}>
        <legend>Fields the form asks for</legend>
        <p className="field-hint" id={`${headingId}-fields-hint`}>
          Ask for email or phone: a lead needs a way to be reached.
        </p>
        <div className="ch-checkbox-grid">
          {ASKABLE_FIELDS.map(({ field, label }) => (
            <label key={field} className="ch-checkbox">
              <input
                type="checkbox"
                checked={asked.has(field)}
                onChange={(e) => setAsked(toggle(asked, field, e.target.checked))}
              />{' '}
              {label}
            </label>
          ))}
        </div>
        {mappingError ? (
          <p className="field-error" role="alert">
            {mappingError}
          </p>
        ) : null}
      </fieldset>

      <TextAreaField
        label="Consent wording"
        value={consentText}
        maxLength={5000}
        onChange={(e) => setConsentText(e.target.value)}
        hint="Shown next to a checkbox on the form and kept with each consent given. Leave empty for no consent box."
        error={errorsUnder(error, 'consentText')}
      />
      {consentText.trim() ? (
        <fieldset>
          <legend>Consent covers</legend>
          <p className="field-hint">None ticked: the consent covers every channel.</p>
          <div className="ch-checkbox-grid">
            {CONTACT_CHANNELS.map((c) => (
              <label key={c} className="ch-checkbox">
                <input
                  type="checkbox"
                  checked={channels.has(c)}
                  onChange={(e) => setChannels(toggle(channels, c, e.target.checked))}
                />{' '}
                {channelLabel(c)}
              </label>
            ))}
          </div>
        </fieldset>
      ) : null}

      <TextAreaField
        label="Sites allowed to embed it"
        value={origins}
        onChange={(e) => setOrigins(e.target.value)}
        hint="One origin a line, such as https://www.example.com (no path). The hosted page may always post it."
        error={originError}
        spellCheck={false}
        autoCapitalize="off"
      />

      <div className="row ch-fields">
        <TextField
          label="Thank-you message"
          value={successMessage}
          maxLength={1000}
          onChange={(e) => setSuccessMessage(e.target.value)}
          hint="Shown after sending. Empty: “Thank you! We will be in touch soon.”"
          error={errorsUnder(error, 'successMessage')}
        />
        <TextField
          label="Redirect to (optional)"
          type="url"
          value={redirectUrl}
          onChange={(e) => setRedirectUrl(e.target.value)}
          hint="A page to open after sending, instead of the message."
          error={errorsUnder(error, 'redirectUrl')}
        />
      </div>

      <fieldset>
        <legend>Campaign defaults</legend>
        <p className="field-hint">For visits without their own utm_* tags.</p>
        <div className="row ch-fields">
          <TextField
            label="Source"
            value={source}
            onChange={(e) => setSource(e.target.value)}
            error={errorsUnder(error, 'attribution/source')}
          />
          <TextField
            label="Medium"
            value={medium}
            onChange={(e) => setMedium(e.target.value)}
            error={errorsUnder(error, 'attribution/medium')}
          />
          <TextField
            label="Campaign"
            value={campaign}
            onChange={(e) => setCampaign(e.target.value)}
            error={errorsUnder(error, 'attribution/campaign')}
          />
        </div>
      </fieldset>

      {form ? (
        <label className="ch-checkbox">
          <input type="checkbox" checked={isActive} onChange={(e) => setIsActive(e.target.checked)} /> Active
          (an inactive form&apos;s public URLs answer “not found”)
        </label>
      ) : null}

      <div className="row ch-form-actions">
        <Button type="submit" variant="primary" busy={save.isPending}>
          {form ? 'Save changes' : 'Create form'}
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  )
}
