import type { LightMyRequestResponse } from 'fastify'
import { expect } from 'vitest'

export interface ProblemBody {
  code: string
  detail?: string
  errors?: { pointer: string; message: string }[]
}

/** A refusal: its status, the problem+json media type and the problem's code; returns the body. */
export function expectProblem(res: LightMyRequestResponse, status: number, code: string): ProblemBody {
  expect(res.statusCode, res.body).toBe(status)
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  const body = res.json<ProblemBody>()
  expect(body.code).toBe(code)
  return body
}
