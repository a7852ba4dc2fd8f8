import type {
  QualificationInput,
  QualificationRecord,
  QualificationSummary,
} from '../domain/qualification/qualification.js'
import { EMPTY_QUALIFICATION } from '../domain/qualification/qualification.js'
import {
  applyQualificationInput,
  summariseQualification,
} from '../domain/qualification/qualification-summary.rules.js'
import { lockLeads } from '../ingestion/lead-rows.js'
import { asJson, type Db } from '../platform/database/prisma.js'
import { NotFoundError } from '../platform/errors.js'

const DAY = 86_400_000

export interface StoredQualification {
  leadId: string
  record: QualificationRecord
  summary: QualificationSummary
  updatedAt: string | null
  updatedBy: string | null
}

function context(lead: { score: number; lastEngagedAt: Date | null }, at: Date) {
  return {
    today: at.toISOString().slice(0, 10),
    score: lead.score,
    daysSinceLastEngagement: lead.lastEngagedAt
      ? Math.floor((at.getTime() - lead.lastEngagedAt.getTime()) / DAY)
      : null,
  }
}

/**
 * Records BANT/MEDDICC answers (already validated by the journey's update validator) and
 * the summary they give: scores, risk level and its reasons. One transaction, with a
 * decision entry so the qualification's history can be read back.
 */
export async function saveQualification(
  db: Db,
  cmd: { leadId: string; input: QualificationInput; actorId: string; at: string },
): Promise<QualificationSummary> {
  return db.$transaction(async (tx) => {
    const lead = (await lockLeads(tx, [cmd.leadId])).get(cmd.leadId)
    if (!lead) throw new NotFoundError('lead', cmd.leadId)
    const stored = await tx.leadQualification.findUnique({ where: { leadId: cmd.leadId } })
    const current = (stored?.record as QualificationRecord | undefined) ?? EMPTY_QUALIFICATION
    const record = applyQualificationInput(current, cmd.input, cmd.at, cmd.actorId)
    const at = new Date(cmd.at)
    const summary = summariseQualification(record, context(lead, at))
    const data = {
      record: asJson(record),
      summary: asJson(summary),
      riskLevel: summary.risk.level,
      updatedAt: at,
      updatedBy: cmd.actorId,
    }
    await tx.leadQualification.upsert({
      where: { leadId: cmd.leadId },
      create: { leadId: cmd.leadId, ...data },
      update: data,
    })
    await tx.leadDecision.create({
      data: {
        leadId: cmd.leadId,
        kind: 'qualification',
        inputs: asJson({ input: cmd.input, by: cmd.actorId }),
        outcome: asJson({ bant: summary.bant.score, meddicc: summary.meddicc.score, risk: summary.risk }),
        decidedAt: at,
      },
    })
    return summary
  })
}

/** The lead's qualification as stored, summarised as of now (risk depends on today's date). */
export async function readQualification(
  db: Db,
  leadId: string,
  now = new Date(),
): Promise<StoredQualification> {
  const lead = await db.lead.findUnique({
    where: { id: leadId },
    select: { score: true, lastEngagedAt: true, qualification: true },
  })
  if (!lead) throw new NotFoundError('lead', leadId)
  const record = (lead.qualification?.record as QualificationRecord | undefined) ?? EMPTY_QUALIFICATION
  return {
    leadId,
    record,
    summary: summariseQualification(record, context(lead, now)),
    updatedAt: lead.qualification?.updatedAt.toISOString() ?? null,
    updatedBy: lead.qualification?.updatedBy ?? null,
  }
}
