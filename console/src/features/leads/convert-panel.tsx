import { useMutation, useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { api } from '../../api/client'
import { useSession } from '../../auth/session'
import { Button } from '../../ui/button'
import { SelectField, TextAreaField, TextField } from '../../ui/field'
import { humanize } from '../../ui/format'
import { Loading } from '../../ui/page'
import { ProblemAlert } from '../../ui/problem-alert'
import type { ConversionPreview, ConversionResult, Eligibility } from './lead.types'
import { ActionPanel } from './action-panel'
import { ConversionPreviewView } from './conversion-preview'
import { fieldError, FormProblem } from './form-errors'

const STAGES = [
  { value: '', label: 'Qualification (default)' },
  { value: 'needs_analysis', label: 'Needs analysis' },
  { value: 'proposal', label: 'Proposal' },
  { value: 'negotiation', label: 'Negotiation' },
]
const ROLES = [
  { value: 'decision_maker', label: 'Decision maker' },
  { value: 'champion', label: 'Champion' },
  { value: 'influencer', label: 'Influencer' },
  { value: 'billing', label: 'Billing' },
  { value: 'user', label: 'User' },
]
const ACCOUNT_TYPES = [
  { value: '', label: 'Prospect (default)' },
  { value: 'customer', label: 'Customer' },
  { value: 'partner', label: 'Partner' },
  { value: 'reseller', label: 'Reseller' },
]
const PLACED = [
  '/body/opportunity/name',
  '/body/opportunity/amount',
  '/body/opportunity/currency',
  '/body/opportunity/stage',
  '/body/opportunity/probability',
  '/body/opportunity/closeDate',
  '/body/account/name',
  '/body/account/gstin',
  '/body/account/type',
  '/body/contactRole',
  '/body/note',
]

function inDays(days: number): string {
  const d = new Date()
  d.setDate(d.getDate() + days)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

interface Draft {
  name: string
  amount: string
  currency: string
  stage: string
  probability: string
  closeDate: string
  accountName: string
  gstin: string
  accountType: string
  contactRole: string
  note: string
}

function toBody(d: Draft) {
  return {
    opportunity: {
      ...(d.name.trim() ? { name: d.name.trim() } : {}),
      amount: d.amount.trim() === '' ? Number.NaN : Number(d.amount),
      currency: d.currency.trim().toUpperCase(),
      ...(d.stage ? { stage: d.stage } : {}),
      ...(d.probability.trim() !== '' ? { probability: Number(d.probability) } : {}),
      closeDate: d.closeDate,
    },
    ...(d.accountName.trim() || d.gstin.trim() || d.accountType
      ? {
          account: {
            ...(d.accountName.trim() ? { name: d.accountName.trim() } : {}),
            ...(d.gstin.trim() ? { gstin: d.gstin.trim().toUpperCase() } : {}),
            ...(d.accountType ? { type: d.accountType } : {}),
          },
        }
      : {}),
    contactRole: d.contactRole,
    ...(d.note.trim() ? { note: d.note.trim() } : {}),
  }
}

/**
 * Conversion in three steps, none hidden: whether the lead can convert (eligibility), what
 * converting would match or create (preview, writes nothing), then the conversion itself
 * (one transaction through the journey). A change to the form after the preview asks for a
 * new preview, so what is converted is what was shown.
 */
export function ConvertPanel({
  leadId,
  onDone,
  onCancel,
  ownerName,
}: {
  leadId: string
  onDone: (message: string, close?: boolean) => void
  onCancel: () => void
  ownerName: (id: string | null) => string
}) {
  const { can } = useSession()
  const eligibility = useQuery({
    queryKey: ['lead', leadId, 'eligibility'],
    queryFn: ({ signal }) => api<Eligibility>(`/v1/leads/${leadId}/conversion/eligibility`, { signal }),
  })
  const [draft, setDraft] = useState<Draft>({
    name: '',
    amount: '',
    currency: 'INR',
    stage: '',
    probability: '',
    closeDate: inDays(90),
    accountName: '',
    gstin: '',
    accountType: '',
    contactRole: 'decision_maker',
    note: '',
  })
  const [previewed, setPreviewed] = useState<{ body: string; preview: ConversionPreview } | null>(null)
  const [missing, setMissing] = useState<string | null>(null)
  const body = toBody(draft)
  const bodyText = JSON.stringify(body)
  const stale = previewed !== null && previewed.body !== bodyText

  const preview = useMutation({
    mutationFn: (b: typeof body) =>
      api<ConversionPreview>(`/v1/leads/${leadId}/conversion/preview`, { body: b }),
    onSuccess: (p, b) => setPreviewed({ body: JSON.stringify(b), preview: p }),
  })
  const convert = useMutation({
    mutationFn: (b: typeof body) => api<ConversionResult>(`/v1/leads/${leadId}/conversion`, { body: b }),
    onSuccess: (r) =>
      onDone(
        `Converted: account ${r.accountMatchedBy === 'created' ? 'created' : `matched by ${r.accountMatchedBy}`}, contact and opportunity created.`,
        false,
      ),
  })
  const error = convert.error ?? preview.error
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }))
  const check = (): boolean => {
    const problem =
      draft.amount.trim() === '' || !Number.isFinite(Number(draft.amount))
        ? 'Enter the deal amount.'
        : !draft.closeDate
          ? 'Enter the expected close date.'
          : null
    setMissing(problem)
    return problem === null
  }
  const onPreview = (e: FormEvent) => {
    e.preventDefault()
    if (check()) preview.mutate(body)
  }

  const result = convert.data
  if (result)
    return (
      <ActionPanel id="action-convert" title="Converted" onCancel={onCancel}>
        <p>The lead is converted. Created in one transaction:</p>
        <dl className="facts conversion-result">
          <dt>Account</dt>
          <dd>
            <code>{result.accountId}</code>{' '}
            <span className="muted small">
              (
              {result.accountMatchedBy === 'created'
                ? 'new'
                : `matched by ${humanize(result.accountMatchedBy)}`}
              )
            </span>
          </dd>
          <dt>Contact</dt>
          <dd>
            <code>{result.contactId}</code>
          </dd>
          <dt>Opportunity</dt>
          <dd>
            <code>{result.opportunityId}</code>
          </dd>
        </dl>
        <div className="row">
          {can('opportunity', 'read') ? <Link to="/pipeline">Open the pipeline</Link> : null}
          <Button onClick={onCancel}>Close</Button>
        </div>
      </ActionPanel>
    )

  return (
    <ActionPanel id="action-convert" title="Convert" onCancel={onCancel}>
      {eligibility.isPending ? (
        <Loading label="Checking whether the lead can convert…" />
      ) : eligibility.error ? (
        <ProblemAlert error={eligibility.error} />
      ) : !eligibility.data.eligible ? (
        <div className="alert alert-info">
          <strong>This lead cannot convert yet.</strong>
          <ul>
            {eligibility.data.reasons.map((r) => (
              <li key={r.code}>{r.message}</li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="muted">
          The lead is in Qualification and can convert. Preview first: nothing is written until you convert.
        </p>
      )}
      <form onSubmit={onPreview} noValidate>
        <FormProblem error={error} placed={PLACED} />
        {missing ? (
          <div className="alert alert-error" role="alert">
            {missing}
          </div>
        ) : null}
        <fieldset>
          <legend>Opportunity</legend>
          <div className="row">
            <TextField
              label="Amount"
              type="number"
              min={0}
              step="any"
              inputMode="decimal"
              required
              value={draft.amount}
              onChange={(e) => set({ amount: e.target.value })}
              error={fieldError(error, '/body/opportunity/amount')}
            />
            <TextField
              label="Currency"
              value={draft.currency}
              maxLength={3}
              className="currency-input"
              onChange={(e) => set({ currency: e.target.value.toUpperCase() })}
              error={fieldError(error, '/body/opportunity/currency')}
            />
            <TextField
              label="Close date"
              type="date"
              required
              value={draft.closeDate}
              onChange={(e) => set({ closeDate: e.target.value })}
              error={fieldError(error, '/body/opportunity/closeDate')}
            />
            <SelectField
              label="Stage"
              options={STAGES}
              value={draft.stage}
              onChange={(e) => set({ stage: e.target.value })}
              error={fieldError(error, '/body/opportunity/stage')}
            />
            <TextField
              label="Probability (%)"
              type="number"
              min={0}
              max={100}
              inputMode="numeric"
              hint="Empty: the stage's default."
              value={draft.probability}
              onChange={(e) => set({ probability: e.target.value })}
              error={fieldError(error, '/body/opportunity/probability')}
            />
          </div>
          <TextField
            label="Deal name (optional)"
            value={draft.name}
            maxLength={200}
            onChange={(e) => set({ name: e.target.value })}
            error={fieldError(error, '/body/opportunity/name')}
          />
        </fieldset>
        <fieldset>
          <legend>Account and contact</legend>
          <div className="row">
            <TextField
              label="Account name (optional)"
              hint="Empty: the lead's company."
              value={draft.accountName}
              maxLength={200}
              onChange={(e) => set({ accountName: e.target.value })}
              error={fieldError(error, '/body/account/name')}
            />
            <TextField
              label="GSTIN (optional)"
              hint="Matched after the domain."
              value={draft.gstin}
              maxLength={20}
              onChange={(e) => set({ gstin: e.target.value })}
              error={fieldError(error, '/body/account/gstin')}
            />
            <SelectField
              label="Account type"
              options={ACCOUNT_TYPES}
              value={draft.accountType}
              onChange={(e) => set({ accountType: e.target.value })}
              error={fieldError(error, '/body/account/type')}
            />
            <SelectField
              label="Contact's role"
              options={ROLES}
              value={draft.contactRole}
              onChange={(e) => set({ contactRole: e.target.value })}
              error={fieldError(error, '/body/contactRole')}
            />
          </div>
          <TextAreaField
            label="Note (optional)"
            value={draft.note}
            maxLength={2000}
            onChange={(e) => set({ note: e.target.value })}
            error={fieldError(error, '/body/note')}
          />
        </fieldset>
        <div className="row">
          <Button type="submit" busy={preview.isPending}>
            Preview conversion
          </Button>
          <Button onClick={onCancel}>Cancel</Button>
        </div>
      </form>
      {previewed ? (
        <div className="preview">
          <h3>Preview</h3>
          {stale ? (
            <p className="alert alert-info">
              The form changed after this preview: preview again before converting.
            </p>
          ) : null}
          {!previewed.preview.eligibility.eligible ? (
            <div className="alert alert-error" role="alert">
              <strong>Converting would be refused:</strong>
              <ul>
                {previewed.preview.eligibility.reasons.map((r) => (
                  <li key={r.code}>{r.message}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <ConversionPreviewView preview={previewed.preview} ownerName={ownerName} />
          <div className="row">
            <Button
              variant="primary"
              busy={convert.isPending}
              disabled={stale || !previewed.preview.eligibility.eligible}
              onClick={() => {
                if (check()) convert.mutate(JSON.parse(previewed.body) as typeof body)
              }}
            >
              Convert lead
            </Button>
          </div>
        </div>
      ) : null}
    </ActionPanel>
  )
}
