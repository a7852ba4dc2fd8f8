import { describe, expect, it } from 'vitest'
import {
  DEFAULT_PIPELINE_SETTINGS,
  parsePipelineSettings,
} from '../../../domain/opportunity/pipeline-settings.rules.js'
import { probabilityFor } from '../../../domain/opportunity/pipeline.rules.js'

describe('parsePipelineSettings', () => {
  it('accepts an empty definition: every stage keeps its default', () => {
    expect(parsePipelineSettings({})).toEqual({ ok: true, value: DEFAULT_PIPELINE_SETTINGS })
    expect(parsePipelineSettings({ version: 3, stageProbabilities: {} })).toEqual({
      ok: true,
      value: { version: 3, stageProbabilities: {} },
    })
  })

  it('accepts integer probabilities from 0 to 100 for the open stages, and probabilityFor applies them', () => {
    const parsed = parsePipelineSettings({
      stageProbabilities: { qualification: 0, needs_analysis: 20, proposal: 45, negotiation: 100 },
    })
    expect(parsed.ok).toBe(true)
    if (!parsed.ok) return
    const overrides = parsed.value.stageProbabilities
    expect(probabilityFor('qualification', overrides)).toBe(0)
    expect(probabilityFor('proposal', overrides)).toBe(45)
    expect(probabilityFor('negotiation', overrides)).toBe(100)
    expect(probabilityFor('closed_won', overrides)).toBe(100)
  })

  it('refuses the closed stages, saying what they are fixed at', () => {
    expect(parsePipelineSettings({ stageProbabilities: { closed_won: 90, closed_lost: 5 } })).toEqual({
      ok: false,
      issues: [
        'stageProbabilities.closed_won is fixed at 100 and cannot be configured',
        'stageProbabilities.closed_lost is fixed at 0 and cannot be configured',
      ],
    })
  })

  it.each<[string, unknown]>([
    ['above 100', 101],
    ['negative', -1],
    ['fractional', 33.3],
    ['a string', '50'],
    ['null', null],
  ])('refuses a probability that is %s', (_case, value) => {
    expect(parsePipelineSettings({ stageProbabilities: { proposal: value } })).toEqual({
      ok: false,
      issues: ['stageProbabilities.proposal must be an integer from 0 to 100'],
    })
  })

  it('refuses unknown stages and keys, a non-object, and a bad version, listing every problem', () => {
    const parsed = parsePipelineSettings({ version: -1, stages: {}, stageProbabilities: { Proposal: 50 } })
    expect(parsed).toEqual({
      ok: false,
      issues: [
        'stages is not allowed',
        'version must be an integer >= 0',
        'stageProbabilities.Proposal is not allowed (open stages: qualification, needs_analysis, proposal, negotiation)',
      ],
    })
    expect(parsePipelineSettings({ stageProbabilities: [10] })).toEqual({
      ok: false,
      issues: ['stageProbabilities must be an object'],
    })
    expect(parsePipelineSettings('qualification=10')).toEqual({
      ok: false,
      issues: ['the pipeline settings must be an object'],
    })
  })
})
