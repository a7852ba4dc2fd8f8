import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api, ApiError } from '../../api/client'
import { Button } from '../../ui/button'
import { TextField } from '../../ui/field'
import { ProblemAlert } from '../../ui/problem-alert'
import type { PartnerDetail } from './channel.types'
import { errorsUnder, SLUG_PATTERN, slugify } from './field-errors'

/** Registers a partner: its name, id, rate limit and the source stamped on its leads. */
export function PartnerEditor({
  onDone,
  onCancel,
}: {
  onDone: (partner: PartnerDetail) => void
  onCancel: () => void
}) {
  const queryClient = useQueryClient()
  const [name, setName] = useState('')
  const [id, setId] = useState('')
  const [idEdited, setIdEdited] = useState(false)
  const [rate, setRate] = useState('')
  const [source, setSource] = useState('')
  const create = useMutation({
    mutationFn: () =>
      api<PartnerDetail>('/v1/partners', {
        method: 'POST',
        body: {
          id,
          name: name.trim(),
          ...(rate.trim() ? { rateLimitPerMinute: Number(rate) } : {}),
          ...(source.trim() ? { attributionSource: source.trim() } : {}),
        },
      }),
    onSuccess: async (partner) => {
      queryClient.setQueryData(['partners', partner.id], partner)
      await queryClient.invalidateQueries({ queryKey: ['partners'] })
      onDone(partner)
    },
  })
  const error = create.error
  const submit = (event: FormEvent) => {
    event.preventDefault()
    create.mutate()
  }
  return (
    <form className="card" onSubmit={submit} aria-labelledby="new-partner-title" noValidate>
      <h2 id="new-partner-title">New partner</h2>
      {error instanceof ApiError && error.fieldErrors.length > 0 ? (
        <p className="alert alert-error" role="alert">
          The partner was not saved: see the messages next to the fields below.
        </p>
      ) : (
        <ProblemAlert error={error} />
      )}
      <div className="row ch-fields">
        <TextField
          label="Partner name"
          value={name}
          required
          maxLength={200}
          onChange={(e) => {
            setName(e.target.value)
            if (!idEdited) setId(slugify(e.target.value))
          }}
          error={errorsUnder(error, 'name')}
        />
        <TextField
          label="Partner id"
          value={id}
          required
          pattern={SLUG_PATTERN}
          maxLength={63}
          hint="Lower-case letters, digits and dashes. It cannot change later."
          onChange={(e) => {
            setId(e.target.value)
            setIdEdited(true)
          }}
          error={errorsUnder(error, 'id')}
        />
      </div>
      <div className="row ch-fields">
        <TextField
          label="Requests a minute"
          type="number"
          inputMode="numeric"
          min={1}
          max={100000}
          value={rate}
          onChange={(e) => setRate(e.target.value)}
          hint="Empty: 120."
          error={errorsUnder(error, 'rateLimitPerMinute')}
        />
        <TextField
          label="Lead source"
          value={source}
          maxLength={200}
          onChange={(e) => setSource(e.target.value)}
          hint={`Stamped on its leads. Empty: partner:${id || '<id>'}.`}
          error={errorsUnder(error, 'attributionSource')}
        />
      </div>
      <div className="row ch-form-actions">
        <Button type="submit" variant="primary" busy={create.isPending}>
          Create partner
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  )
}
