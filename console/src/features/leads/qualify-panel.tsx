import { useMutation } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { ApiError, api } from '../../api/client'
import { Button } from '../../ui/button'
import { SelectField, TextField } from '../../ui/field'
import { Loading } from '../../ui/page'
import type { QualificationSummary, StoredQualification } from './lead.types'
import { RadioGroup } from './radio-group'
import { useQualification } from './use-lead'
import { ActionPanel } from './action-panel'
import { fieldError, FormProblem } from './form-errors'
import {
  CRITERIA,
  CRITERION_LABELS,
  draftFrom,
  factsOf,
  ROLE_OPTIONS,
  STATUS_OPTIONS,
  toBody,
  type AnswerDraft,
  type Framework,
} from './qualification-form'

const FRAMEWORKS = [
  { value: 'BANT', label: 'BANT', hint: '(budget, authority, need, timeline)' },
  {
    value: 'MEDDICC',
    label: 'MEDDICC',
    hint: '(metrics, buyer, criteria, process, pain, champion, competition)',
  },
] as const

function initialDrafts(stored: StoredQualification | undefined): Record<string, AnswerDraft> {
  const record = stored?.record
  return Object.fromEntries(
    [
      ...CRITERIA.BANT.map((c) => [c, record?.bant[c]] as const),
      ...CRITERIA.MEDDICC.map((c) => [c, record?.meddicc[c]] as const),
    ].map(([c, answer]) => [c, draftFrom(answer)]),
  )
}

/**
 * BANT or MEDDICC answers, sent to the journey as a validated update (POST …/qualification).
 * The form starts from the answers recorded so far; what comes back is the journey's own
 * summary: the scores, the risk level and its reasons.
 */
export function QualifyPanel({
  leadId,
  onDone,
  onCancel,
}: {
  leadId: string
  onDone: (message: string) => void
  onCancel: () => void
}) {
  const stored = useQualification(leadId)
  return (
    <ActionPanel id="action-qualify" title="Qualify" onCancel={onCancel}>
      {stored.isPending ? (
        <Loading label="Loading the answers so far…" />
      ) : (
        <QualifyForm leadId={leadId} stored={stored.data} onDone={onDone} onCancel={onCancel} />
      )}
    </ActionPanel>
  )
}

function QualifyForm({
  leadId,
  stored,
  onDone,
  onCancel,
}: {
  leadId: string
  stored: StoredQualification | undefined
  onDone: (message: string) => void
  onCancel: () => void
}) {
  const [framework, setFramework] = useState<Framework>('BANT')
  const [drafts, setDrafts] = useState(() => initialDrafts(stored))
  const [empty, setEmpty] = useState(false)
  const save = useMutation({
    mutationFn: (body: ReturnType<typeof toBody>) =>
      api<QualificationSummary>(`/v1/leads/${leadId}/qualification`, { body }),
    onSuccess: (s) =>
      onDone(
        `Qualification saved: BANT ${s.bant.score}/100, MEDDICC ${s.meddicc.score}/100, risk ${s.risk.level}` +
          (s.qualified ? ', qualified.' : '.'),
      ),
  })
  const set = (criterion: string, patch: Partial<AnswerDraft>) =>
    setDrafts((d) => ({ ...d, [criterion]: { ...d[criterion]!, ...patch } }))
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const body = toBody(framework, drafts)
    setEmpty(Object.keys(body.criteria).length === 0)
    if (Object.keys(body.criteria).length > 0) save.mutate(body)
  }
  const criteria = CRITERIA[framework]
  const placed =
    save.error instanceof ApiError
      ? save.error.fieldErrors
          .map((e) => e.pointer)
          .filter((p) => criteria.some((c) => p.startsWith(`/body/criteria/${c}`)))
      : []
  const err = (c: string, field: string) =>
    fieldError(save.error, `/body/criteria/${c}/${field}`) ??
    (field === 'status' ? fieldError(save.error, `/body/criteria/${c}`) : undefined)

  return (
    <form onSubmit={submit} noValidate>
      <FormProblem error={save.error} placed={placed} />
      <RadioGroup
        legend="Framework"
        name="framework"
        options={FRAMEWORKS}
        value={framework}
        onChange={(f) => {
          setFramework(f)
          setEmpty(false)
        }}
        inline
      />
      {empty ? (
        <div className="alert alert-error" role="alert">
          Answer at least one criterion.
        </div>
      ) : null}
      {criteria.map((c) => {
        const d = drafts[c]!
        const facts = factsOf(c)
        const { label, hint } = CRITERION_LABELS[c]!
        return (
          <fieldset key={`${framework}-${c}`} className="criterion">
            <legend>
              {label} <span className="muted small">{hint}</span>
            </legend>
            <div className="row">
              <SelectField
                label={`${label}: answer`}
                options={STATUS_OPTIONS}
                value={d.status}
                onChange={(e) => set(c, { status: e.target.value as AnswerDraft['status'] })}
                error={err(c, 'status')}
              />
              {facts.includes('amount') ? (
                <>
                  <TextField
                    label="Amount"
                    type="number"
                    min={0}
                    step="any"
                    inputMode="decimal"
                    value={d.amount}
                    onChange={(e) => set(c, { amount: e.target.value })}
                    error={err(c, 'amount')}
                  />
                  <TextField
                    label="Currency"
                    value={d.currency}
                    maxLength={3}
                    className="currency-input"
                    onChange={(e) => set(c, { currency: e.target.value.toUpperCase() })}
                    error={err(c, 'currency')}
                  />
                </>
              ) : null}
              {facts.includes('targetDate') ? (
                <TextField
                  label="Target date"
                  type="date"
                  value={d.targetDate}
                  onChange={(e) => set(c, { targetDate: e.target.value })}
                  error={err(c, 'targetDate')}
                />
              ) : null}
              {facts.includes('role') ? (
                <SelectField
                  label="Their role"
                  options={ROLE_OPTIONS}
                  value={d.role}
                  onChange={(e) => set(c, { role: e.target.value })}
                  error={err(c, 'role')}
                />
              ) : null}
              {facts.includes('competitors') ? (
                <TextField
                  label="Competitors"
                  hint="Separate names with commas."
                  value={d.competitors}
                  onChange={(e) => set(c, { competitors: e.target.value })}
                  error={err(c, 'competitors')}
                />
              ) : null}
              <TextField
                label="Note"
                value={d.note}
                maxLength={2000}
                className="note-input"
                onChange={(e) => set(c, { note: e.target.value })}
                error={err(c, 'note')}
              />
            </div>
          </fieldset>
        )
      })}
      <div className="row">
        <Button type="submit" variant="primary" busy={save.isPending}>
          Save {framework} answers
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  )
}
