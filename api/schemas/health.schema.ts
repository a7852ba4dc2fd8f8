import { Type } from 'typebox'

const CheckStatus = Type.Enum(['up', 'down'])

export const Readiness = Type.Object({
  status: Type.Enum(['ready', 'not_ready']),
  checks: Type.Object({
    postgres: Type.Object({ status: CheckStatus, detail: Type.Optional(Type.String()) }),
    temporal: Type.Object({ status: CheckStatus, detail: Type.Optional(Type.String()) }),
  }),
})

export const Liveness = Type.Object({ status: Type.Literal('ok') })
