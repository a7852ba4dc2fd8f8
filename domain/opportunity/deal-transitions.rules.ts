import { isOpenStage, type OpenOpportunityStage, type OpportunityStage } from './pipeline.rules.js'

/*
 * What may happen to a deal once it exists: moving between open stages, and closing it as
 * won or lost. Closing is final here (reopening is not supported), and a repeated request
 * that asks for what already happened is answered as a success, so a client may retry.
 */

export interface DealState {
  stage: OpportunityStage
  probability: number
  wonReason: string | null
  lostReason: string | null
  lostToCompetitor: string | null
}

/** The request conflicts with the deal's state (409), or is invalid for it (422). */
export type Refusal =
  { refused: 'conflict'; message: string } | { refused: 'invalid'; pointer: string; message: string }

export type StageMove = { action: 'move'; probability: number } | { action: 'none' } | Refusal

/**
 * Moving an open deal to an open stage.
 *
 * - A closed deal cannot move (conflict): it is final.
 * - The target must be an open stage (invalid): closing goes through win or lose, which
 *   need a reason.
 * - Asking for the stage the deal is in, with no probability or its current one, changes
 *   nothing (a retried request); with another probability it is invalid, as a probability
 *   alone is changed by an update, not a stage move.
 * - Otherwise the deal moves, with the given probability or the stage's configured default.
 */
export function stageMove(
  deal: DealState,
  request: { stage: string; probability?: number | undefined },
  defaultProbability: (stage: OpenOpportunityStage) => number,
): StageMove {
  if (!isOpenStage(deal.stage))
    return { refused: 'conflict', message: `The opportunity is ${deal.stage}; closed deals cannot move.` }
  if (!isOpenStage(request.stage))
    return {
      refused: 'invalid',
      pointer: '/stage',
      message: 'must be an open stage; close a deal with win or lose',
    }
  if (request.stage === deal.stage) {
    if (request.probability === undefined || request.probability === deal.probability)
      return { action: 'none' }
    return {
      refused: 'invalid',
      pointer: '/stage',
      message: `is the current stage; change the probability alone with an update`,
    }
  }
  return { action: 'move', probability: request.probability ?? defaultProbability(request.stage) }
}

export type Closing = { action: 'close' } | { action: 'none' } | Refusal

/**
 * Closing a deal as won or lost.
 *
 * - An open deal closes.
 * - A deal closed the same way with the same reason (and, when lost, the same competitor)
 *   is left as it is: the request is a retry.
 * - Any other closed deal conflicts: the opposite outcome, or the same one with another
 *   reason (reopening and re-closing is not supported).
 */
export function closeDeal(
  deal: DealState,
  request: { outcome: 'won' | 'lost'; reason: string; competitor?: string | null | undefined },
): Closing {
  if (isOpenStage(deal.stage)) return { action: 'close' }
  const target: OpportunityStage = request.outcome === 'won' ? 'closed_won' : 'closed_lost'
  if (deal.stage !== target)
    return {
      refused: 'conflict',
      message: `The opportunity is ${deal.stage} already; it cannot be ${request.outcome}.`,
    }
  const same =
    request.outcome === 'won'
      ? deal.wonReason === request.reason
      : deal.lostReason === request.reason && (deal.lostToCompetitor ?? null) === (request.competitor ?? null)
  return same
    ? { action: 'none' }
    : { refused: 'conflict', message: `The opportunity was ${request.outcome} already, with another reason.` }
}

/** Whether an update may change the deal: closed deals are read-only. */
export function editRefusal(stage: OpportunityStage): Refusal | null {
  return isOpenStage(stage)
    ? null
    : { refused: 'conflict', message: `The opportunity is ${stage}; closed deals are read-only.` }
}
