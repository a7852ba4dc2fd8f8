import { Prisma } from '../../generated/prisma/client.js'
import { rate, roundedMinutes } from '../../domain/reports/rate.rules.js'
import type { Db } from '../../platform/database/prisma.js'
import type { Principal } from '../../security/principal.js'
import { ownerCondition } from '../../security/visibility.js'
import type { ReportWindow } from './report-window.js'

export interface SdrFilters {
  userId?: string | undefined
  teamId?: string | undefined
}

interface SdrRow {
  user_id: string
  name: string
  role: string
  team_id: string | null
  assigned: number
  contacted: number
  converted: number
  median_response_minutes: number | null
  average_response_minutes: number | null
  tasks_completed: number
  tasks_overdue: number
  activities_logged: number
}

/**
 * Per user the principal's report scope reaches (a manager: their team; an SDR: themselves;
 * a role that sees all: everyone): the leads assigned to them in the window and how fast and how well they were
 * worked, the tasks they finished in the window, the tasks overdue at `now`, and the
 * timeline entries they recorded. One statement; each part aggregates its own table by
 * user before the join, so no user's rows multiply another part's counts.
 */
export async function sdrPerformanceReport(db: Db, p: Principal, w: ReportWindow, f: SdrFilters, now: Date) {
  const reached = await ownerCondition(p, 'report', Prisma.sql`id`)
  const rows = await db.$queryRaw<SdrRow[]>`
    WITH people AS (
      SELECT id, name, role, team_id FROM app_user
       WHERE ${reached}
         ${f.userId ? Prisma.sql`AND id = ${f.userId}` : Prisma.empty}
         ${f.teamId ? Prisma.sql`AND team_id = ${f.teamId}` : Prisma.empty}
    ),
    assigned AS (
      SELECT l.owner_id, l.contacted_at,
             -- Contact recorded before the assignment (a lead passed on after its first call) is no wait at all.
             GREATEST(0, EXTRACT(EPOCH FROM (l.contacted_at - COALESCE(l.assigned_at, l.created_at))) / 60)
               AS response_minutes,
             (l.status = 'CONVERTED' OR EXISTS (SELECT 1 FROM lead_conversion lc WHERE lc.lead_id = l.id))
               AS converted
        FROM lead l
       WHERE l.owner_id IN (SELECT id FROM people) AND NOT l.is_duplicate
         AND COALESCE(l.assigned_at, l.created_at) >= ${w.start}
         AND COALESCE(l.assigned_at, l.created_at) < ${w.end}
         -- No lead is assigned before it exists: lets the created_at index narrow the scan.
         AND l.created_at < ${w.end}
    ),
    lead_stats AS (
      SELECT owner_id AS user_id, count(*)::int AS assigned,
             count(*) FILTER (WHERE contacted_at IS NOT NULL)::int AS contacted,
             count(*) FILTER (WHERE converted)::int AS converted,
             (percentile_cont(0.5) WITHIN GROUP (ORDER BY response_minutes)
               FILTER (WHERE contacted_at IS NOT NULL))::float8 AS median_response_minutes,
             (avg(response_minutes) FILTER (WHERE contacted_at IS NOT NULL))::float8 AS average_response_minutes
        FROM assigned GROUP BY owner_id
    ),
    task_stats AS (
      SELECT assignee_id AS user_id,
             count(*) FILTER (WHERE status = 'done' AND completed_at >= ${w.start} AND completed_at < ${w.end})::int
               AS completed,
             count(*) FILTER (WHERE status = 'open' AND due_at < ${now})::int AS overdue
        FROM task
       WHERE assignee_id IN (SELECT id FROM people)
       GROUP BY assignee_id
    ),
    activity_stats AS (
      SELECT p.id AS user_id, count(*)::int AS logged
        FROM people p
        JOIN activity a ON a.actor_id IN ('user:' || p.id, p.id)
                       AND a.occurred_at >= ${w.start} AND a.occurred_at < ${w.end}
       GROUP BY p.id
    )
    SELECT p.id AS user_id, p.name, p.role, p.team_id,
           COALESCE(ls.assigned, 0) AS assigned, COALESCE(ls.contacted, 0) AS contacted,
           COALESCE(ls.converted, 0) AS converted,
           ls.median_response_minutes, ls.average_response_minutes,
           COALESCE(ts.completed, 0) AS tasks_completed, COALESCE(ts.overdue, 0) AS tasks_overdue,
           COALESCE(acts.logged, 0) AS activities_logged
      FROM people p
      LEFT JOIN lead_stats ls ON ls.user_id = p.id
      LEFT JOIN task_stats ts ON ts.user_id = p.id
      LEFT JOIN activity_stats acts ON acts.user_id = p.id
     ORDER BY p.name, p.id`
  return rows.map((r) => ({
    userId: r.user_id,
    name: r.name,
    role: r.role,
    teamId: r.team_id,
    leadsAssigned: r.assigned,
    leadsContacted: r.contacted,
    contactRate: rate(r.contacted, r.assigned),
    responseMinutes: {
      median: roundedMinutes(r.median_response_minutes),
      average: roundedMinutes(r.average_response_minutes),
    },
    leadsConverted: r.converted,
    conversionRate: rate(r.converted, r.assigned),
    tasksCompleted: r.tasks_completed,
    tasksOverdue: r.tasks_overdue,
    activitiesLogged: r.activities_logged,
  }))
}
