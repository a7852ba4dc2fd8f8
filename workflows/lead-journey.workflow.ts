import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setDefaultSignalHandler,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow'
import type { Activities } from '../activities/index.js'
import type { JourneyContext } from '../activities/journey.activities.js'
import {
  CONTACT_EVENTS,
  CONTACTED_TASK_OUTCOMES,
  FINAL_STAGES,
  isOpenStage,
  qualificationUnlocked,
  stageAfterContact,
  type JourneyStage,
} from '../domain/journey/journey-stage.rules.js'
import { planSequence, stopReasonForEvent } from '../domain/journey/nurture-sequence.rules.js'
import { validateOpportunityDraft } from '../domain/opportunity/pipeline.rules.js'
import { validateQualificationInput } from '../domain/qualification/qualification-input.rules.js'
import { conversion, shortIo, vendorSend } from './activity-profiles.js'
import {
  contactabilityChanged,
  convertLead,
  disqualifyLead,
  engagementRecorded,
  getJourneyState,
  JOURNEY_REJECTIONS,
  type JourneyVersion,
  ownerChanged,
  recordQualification,
  recycleLead,
  taskCompleted,
  type CarriedSignal,
  type ContactabilityChanged,
  type ConversionResult,
  type EngagementRecorded,
  type JourneySnapshot,
  type JourneyTask,
  type JourneyView,
  type LeadJourneyInput,
  type StageCommand,
  type TaskCompleted,
} from './lead-journey.messages.js'
import {
  describeNext,
  MAX_CONTACT_ATTEMPTS,
  nextAction,
  type JourneyAction,
} from './lead-journey.next-action.js'
import { JOURNEY_VERSION, OWNER, SCORE, STAGE } from './search-attributes.js'
import { workflowNow } from './workflow-clock.js'

const db = proxyActivities<Activities>(shortIo)
const sender = proxyActivities<Activities>(vendorSend)
const converter = proxyActivities<Activities>(conversion)

/**
 * Version 2 is the full playbook. Journeys started by version 1 (which recorded its start
 * and waited) replay on the legacy branch below and move to version 2 through
 * continue-as-new. Remove the branch with deprecatePatch once no version-1 journey runs
 * (count them in the Temporal UI: JourneyVersion = '1').
 */
const PLAYBOOK_PATCH = 'journey-v2-playbook'

/**
 * Version 3 re-routes an overdue first-contact task to the next eligible owner before it
 * escalates. Journeys that reached that point on version 2 escalated there, and replay so; a
 * version-2 journey still waiting when version 3 is deployed takes the re-route and records
 * JourneyVersion '3' as it does. New journeys (and every continue-as-new run) are version 3
 * from their start.
 */
const REROUTE_PATCH = 'journey-v3-sla-reroute'

/** Well under Temporal's 50k-event limit, and small enough that replays stay quick. */
const MAX_HISTORY_EVENTS = 5_000
const HOUR = 3_600_000
const DAY = 24 * HOUR

export interface JourneyOutcome {
  leadId: string
  stage: JourneyStage
  conversion: ConversionResult | null
}

/**
 * One lead's journey, from capture to conversion or disqualification: a sales manager's
 * playbook as code. Started by the outbox relay with id `lead/<leadId>`.
 *
 * - Nurturing: the sequence's emails and WhatsApp follow-ups go out at their planned
 *   times (outside quiet hours), each through an idempotent send activity that re-reads
 *   consent right before the vendor call. A reply, an opt-out, DND, a booked meeting,
 *   qualification, conversion or disqualification stops it.
 * - First contact: a lead nobody reached within the SLA (7 days) gets a task for its owner;
 *   when that task falls overdue the lead and the task go to the next eligible owner (policy
 *   maxReroutes, once by default), then to the owner's manager; three attempts without
 *   reaching the person recycle the lead.
 * - Qualification opens when the trigger holds (score > 70 while Contacted); BANT and
 *   MEDDICC answers arrive as validated updates; conversion is one update running one
 *   all-or-nothing transaction.
 */
export async function leadJourney(input: LeadJourneyInput): Promise<JourneyOutcome | void> {
  if (!patched(PLAYBOOK_PATCH)) return legacyJourneyV1(input)
  return new LeadJourney(input).run()
}

/**
 * Version 1's commands, unchanged so its histories replay; then, at the first signal it
 * receives (or an `upgradeJourney` signal from an operator), it carries the signals over
 * into a version-2 run.
 */
async function legacyJourneyV1(input: LeadJourneyInput): Promise<void> {
  const startedAt = new Date(workflowInfo().startTime.getTime()).toISOString()
  upsertSearchAttributes([
    { key: STAGE, value: 'New' },
    { key: JOURNEY_VERSION, value: '1' },
  ])
  await db.recordJourneyStarted({ leadId: input.leadId, startedAt })
  const carried: CarriedSignal[] = []
  setDefaultSignalHandler((name, ...args) => {
    if (name !== 'upgradeJourney') carried.push({ name, args })
    else carried.push({ name, args: [] })
  })
  await condition(() => carried.length > 0)
  await continueAsNew<typeof leadJourney>({
    leadId: input.leadId,
    carried: carried.filter((c) => c.name !== 'upgradeJourney'),
  })
}

function rejected(type: string, message: string, details?: unknown): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true, details: details ? [details] : [] })
}

class LeadJourney {
  private readonly s: JourneySnapshot
  private readonly resumed: boolean
  private wake = false
  private scoreSignalled = false
  private flushing: Promise<void> = Promise.resolve()
  private converting: Promise<ConversionResult> | undefined
  private published = { stage: '', score: -1, owner: '' as string | null }
  private version: JourneyVersion = '2'
  private versionRecorded = false

  constructor(private readonly input: LeadJourneyInput) {
    this.resumed = input.resume !== undefined
    const startedAt = new Date(workflowInfo().startTime.getTime()).toISOString()
    this.s = input.resume ?? {
      leadId: input.leadId,
      stage: 'New',
      stageSince: startedAt,
      stageReason: 'captured',
      unrecordedStages: [],
      startedAt,
      score: 0,
      ownerId: null,
      channels: { email: false, whatsapp: false },
      zones: [],
      // Replaced by the lead's context before anything reads it.
      policy: undefined as never,
      cycle: 1,
      cycleStartedAt: startedAt,
      contactedAt: null,
      sequence: { id: '', version: 0, stoppedReason: null, steps: [] },
      tasks: [],
      qualification: null,
      conversion: null,
      recycleAt: null,
    }
  }

  async run(): Promise<JourneyOutcome | void> {
    this.registerHandlers()
    // A run continued from version-2 code has no marker here and stays '2' until it re-routes.
    if (this.resumed && patched(REROUTE_PATCH)) this.recordVersion('3')
    if (!this.resumed) {
      const ok = await this.begin()
      if (!ok) return { leadId: this.s.leadId, stage: this.s.stage, conversion: null }
    }
    for (const c of this.input.carried ?? []) this.applyCarried(c)

    while (!FINAL_STAGES.has(this.s.stage)) {
      await this.flush()
      const info = workflowInfo()
      if (info.continueAsNewSuggested || info.historyLength > MAX_HISTORY_EVENTS) return this.continueAsNew()
      const now = workflowNow()
      const action = nextAction(this.s, now)
      if (action && action.at <= now) {
        const restarted = await this.perform(action)
        if (restarted) return this.continueAsNew()
        continue
      }
      this.wake = false
      if (action) await condition(() => this.wake, action.at - now)
      else await condition(() => this.wake)
    }
    await condition(allHandlersFinished)
    await this.flush()
    return { leadId: this.s.leadId, stage: this.s.stage, conversion: this.s.conversion }
  }

  /** Loads the lead's context and starts nurturing. False when there is no lead to journey with. */
  private async begin(): Promise<boolean> {
    this.recordVersion(patched(REROUTE_PATCH) ? '3' : '2')
    this.publish()
    const ctx = await db.loadJourneyContext({ leadId: this.s.leadId })
    if (!ctx.found || ctx.isDuplicate) return false
    await db.recordJourneyStarted({ leadId: this.s.leadId, startedAt: this.s.startedAt })
    // A signal may have arrived while the context loaded: what it set is newer.
    this.applyContext(ctx, { keepSignalled: true })
    this.s.contactedAt ??= ctx.contactedAt
    this.startNurture()
    if (ctx.contactedAt)
      this.setStage(stageAfterContact(this.s.stage), 'contacted before the journey started')
    this.checkQualificationTrigger()
    return true
  }

  /** The lead's context as loaded at the start of a cycle: the policy, channels and zones it runs on. */
  private applyContext(ctx: JourneyContext, { keepSignalled }: { keepSignalled: boolean }): void {
    if (!keepSignalled || !this.scoreSignalled) this.s.score = ctx.score
    this.s.ownerId = keepSignalled ? (this.s.ownerId ?? ctx.ownerId) : ctx.ownerId
    this.s.channels = ctx.channels
    this.s.zones = ctx.zones
    this.s.policy = ctx.policy
  }

  private startNurture(): void {
    const now = new Date(workflowNow()).toISOString()
    const { sequence, quietHours } = this.s.policy
    const planned = planSequence(sequence, now, {
      channels: this.s.channels,
      zones: this.s.zones,
      quietHours,
    })
    this.s.cycleStartedAt = now
    this.s.sequence = {
      id: sequence.id,
      version: sequence.version,
      stoppedReason: null,
      steps: planned.map((p) => ({ ...p, status: 'planned' as const })),
    }
    // Only a lead nobody has reached yet is nurtured into; a contacted one keeps its stage.
    if (this.s.stage !== 'New' && this.s.stage !== 'Recycled') return
    if (planned.length > 0)
      this.setStage('Nurturing', `nurture cycle ${this.s.cycle}: ${sequence.id} v${sequence.version}`)
    else this.setStage('New', 'no channel the lead consented to: waiting for first contact')
  }

  // ---- Timed actions

  /** Runs one due action. True when it started a new nurture cycle (the run then continues as new). */
  private async perform(action: JourneyAction): Promise<boolean> {
    const now = workflowNow()
    switch (action.kind) {
      case 'send':
        await this.send(action.step)
        return false
      case 'open_task':
      case 'follow_up_task': {
        const attempt = action.kind === 'open_task' ? 1 : action.attempt
        const kind = attempt === 1 ? 'first_contact' : 'follow_up'
        const dueAt = new Date(now + this.s.policy.taskDueHours * HOUR).toISOString()
        const task = await db.openSdrTask({
          leadId: this.s.leadId,
          workflowId: workflowInfo().workflowId,
          kind,
          cycle: this.s.cycle,
          attempt,
          dueAt,
        })
        this.s.tasks.push({
          taskId: task.taskId,
          kind,
          attempt,
          dueAt: task.dueAt,
          status: task.status,
          assigneeId: task.assigneeId,
        })
        return false
      }
      case 'reroute_task':
        // Version 2 escalated here; its histories must replay that way.
        if (!patched(REROUTE_PATCH)) await this.escalate(action.task, now)
        else await this.reroute(action.task, now)
        return false
      case 'escalate_task':
        await this.escalate(action.task, now)
        return false
      case 'recycle_unreachable':
        this.recycle(`not reached after ${MAX_CONTACT_ATTEMPTS} contact attempts`)
        return false
      case 'restart_nurture': {
        const ctx = await db.loadJourneyContext({ leadId: this.s.leadId })
        if (!ctx.found || ctx.isDuplicate) {
          this.setStage('Disqualified', 'the lead no longer exists as a master')
          return false
        }
        this.s.cycle += 1
        this.applyContext(ctx, { keepSignalled: false })
        this.s.contactedAt = null
        this.s.tasks = []
        this.s.recycleAt = null
        this.startNurture()
        await this.flush()
        return true
      }
    }
  }

  /** The task's owner missed the first-contact SLA: the next eligible owner gets the lead and the task. */
  private async reroute(task: JourneyTask, now: number): Promise<void> {
    this.recordVersion('3')
    const reroutes = (task.reroutes ?? 0) + 1
    const dueAt = new Date(now + this.s.policy.taskDueHours * HOUR).toISOString()
    const result = await db.rerouteSdrTask({
      taskId: task.taskId,
      reroute: reroutes,
      exclude: this.ownersThisCycle(),
      dueAt,
      at: new Date(now).toISOString(),
    })
    switch (result.outcome) {
      case 'task_done':
        this.settleDoneTask(task, result.taskOutcome, now)
        return
      case 'not_rerouted':
        await this.escalate(task, now)
        return
      case 'rerouted':
        task.previousAssigneeIds = [
          ...(task.previousAssigneeIds ?? []),
          ...(task.assigneeId ? [task.assigneeId] : []),
        ]
        task.reroutes = reroutes
        task.assigneeId = result.toId
        task.dueAt = result.dueAt
        this.s.ownerId = result.toId
        this.publish()
    }
  }

  /** Everyone who held a contact task this cycle, and the owner now: a re-route skips them all. */
  private ownersThisCycle(): string[] {
    const owners = new Set<string>()
    for (const t of this.s.tasks) {
      if (t.kind === 'escalation') continue
      if (t.assigneeId) owners.add(t.assigneeId)
      for (const id of t.previousAssigneeIds ?? []) owners.add(id)
    }
    if (this.s.ownerId) owners.add(this.s.ownerId)
    return [...owners].sort()
  }

  private async escalate(task: JourneyTask, now: number): Promise<void> {
    const dueAt = new Date(now + this.s.policy.escalationDueHours * HOUR).toISOString()
    const result = await db.escalateSdrTask({ taskId: task.taskId, dueAt })
    if (result.alreadyDone) {
      this.settleDoneTask(task, result.outcome, now)
      return
    }
    task.status = 'escalated'
    if (result.escalationTaskId)
      this.s.tasks.push({
        taskId: result.escalationTaskId,
        kind: 'escalation',
        attempt: task.attempt,
        dueAt,
        status: 'open',
        assigneeId: result.escalatedToId,
        parentTaskId: task.taskId,
      })
  }

  /** Completed in the database; its signal is on its way and will set the outcome. */
  private settleDoneTask(task: JourneyTask, outcome: string | null, now: number): void {
    task.status = 'done'
    task.outcome = outcome ?? 'done'
    if (outcome && CONTACTED_TASK_OUTCOMES.has(outcome)) this.markContacted(new Date(now).toISOString())
  }

  private async send(step: JourneySnapshot['sequence']['steps'][number]): Promise<void> {
    try {
      const result = await sender.sendNurtureMessage({
        leadId: this.s.leadId,
        sequenceId: this.s.sequence.id,
        cycle: this.s.cycle,
        stepId: step.stepId,
        channel: step.channel,
        template: step.template,
        zones: this.s.zones,
        quietHours: this.s.policy.quietHours,
      })
      switch (result.status) {
        case 'deferred':
          step.dueAt = result.retryAt
          step.note = result.reason
          return
        case 'skipped':
          step.status = 'skipped'
          step.note = result.reason
          if (result.stopSequence) this.stopSequence(result.reason)
          return
        default:
          step.status = result.status
      }
    } catch (err) {
      // A vendor that refused the message for good, or stayed down for a day: the journey
      // goes on without this step rather than failing the lead.
      if (!(err instanceof ActivityFailure)) throw err
      step.status = 'skipped'
      step.note = `send failed: ${err.cause?.message ?? err.message}`
    }
  }

  // ---- Messages

  private registerHandlers(): void {
    setHandler(getJourneyState, () => this.view())

    setHandler(engagementRecorded, (e) => this.onEngagement(e))
    setHandler(taskCompleted, (t) => this.onTaskCompleted(t))
    setHandler(contactabilityChanged, (c) => this.onContactability(c))
    setHandler(ownerChanged, ({ ownerId }) => {
      this.s.ownerId = ownerId
      this.touch()
    })

    setHandler(
      recordQualification,
      async ({ input, actorId }) => {
        const summary = await db.saveQualification({
          leadId: this.s.leadId,
          input,
          actorId,
          at: this.nowIso(),
        })
        this.s.qualification = summary
        this.touch()
        return summary
      },
      {
        validator: ({ input }) => {
          if (this.s.stage !== 'Contacted' && this.s.stage !== 'Qualification')
            throw rejected(
              JOURNEY_REJECTIONS.wrongStage,
              `Qualification is recorded once the lead is contacted; it is ${this.s.stage}.`,
            )
          const checked = validateQualificationInput(input)
          if (!checked.ok)
            throw rejected(
              JOURNEY_REJECTIONS.invalidInput,
              'The qualification answers are not valid.',
              checked.errors,
            )
        },
      },
    )

    setHandler(
      convertLead,
      async ({ request, actorId, requestId }) => {
        if (this.s.conversion) return this.s.conversion
        this.converting ??= converter.convertLeadToAccount({
          leadId: this.s.leadId,
          request,
          actorId,
          requestId,
          at: this.nowIso(),
        })
        try {
          const result = await this.converting
          this.s.conversion = result
          for (const t of this.s.tasks)
            if (t.status === 'open') Object.assign(t, { status: 'done', outcome: 'converted' })
          this.stopSequence('converted')
          this.setStage('Converted', `converted by ${actorId}`)
          // The conversion's transaction wrote the lead's status itself.
          this.s.unrecordedStages = this.s.unrecordedStages.filter((u) => u.stage !== 'Converted')
          this.touch()
          return result
        } finally {
          this.converting = undefined
        }
      },
      {
        validator: ({ request }) => {
          if (this.s.stage === 'Converted' && this.s.conversion) return
          if (this.s.stage !== 'Qualification')
            throw rejected(
              JOURNEY_REJECTIONS.wrongStage,
              `Only a lead in Qualification can be converted; it is ${this.s.stage}.`,
            )
          const errors = validateOpportunityDraft(
            {
              ...request.opportunity,
              name: request.opportunity.name ?? 'opportunity',
              stage: request.opportunity.stage ?? 'qualification',
            },
            this.nowIso().slice(0, 10),
          )
          if (errors.length)
            throw rejected(
              JOURNEY_REJECTIONS.invalidInput,
              'The opportunity is not valid.',
              errors.map((e) => ({ ...e, pointer: `/opportunity${e.pointer}` })),
            )
        },
      },
    )

    const stageCommand = (target: 'Disqualified' | 'Recycled') => ({
      validator: ({ reason }: StageCommand) => {
        if (!isOpenStage(this.s.stage) || this.s.stage === target)
          throw rejected(
            JOURNEY_REJECTIONS.wrongStage,
            `The lead is ${this.s.stage}; it cannot be ${target.toLowerCase()}.`,
          )
        if (typeof reason !== 'string' || reason.trim() === '' || reason.length > 500)
          throw rejected(JOURNEY_REJECTIONS.invalidInput, 'A reason is required.', [
            { pointer: '/reason', message: 'must be 1 to 500 characters' },
          ])
      },
    })
    setHandler(
      disqualifyLead,
      async ({ reason, actorId }) => {
        for (const t of this.s.tasks)
          if (t.status === 'open') Object.assign(t, { status: 'done', outcome: 'disqualified' })
        this.stopSequence('disqualified')
        this.setStage('Disqualified', `${reason} (by ${actorId})`)
        await this.flush()
        this.touch()
        return this.view()
      },
      stageCommand('Disqualified'),
    )
    setHandler(
      recycleLead,
      async ({ reason, actorId }) => {
        this.recycle(`${reason} (by ${actorId})`)
        await this.flush()
        this.touch()
        return this.view()
      },
      stageCommand('Recycled'),
    )
  }

  private onEngagement(e: EngagementRecorded): void {
    this.s.score = e.score
    this.scoreSignalled = true
    if (CONTACT_EVENTS.has(e.event)) this.markContacted(e.occurredAt)
    const stop = stopReasonForEvent(e.event)
    if (stop) this.stopSequence(stop)
    this.checkQualificationTrigger()
    this.touch()
  }

  private onTaskCompleted(t: TaskCompleted): void {
    const task = this.s.tasks.find((x) => x.taskId === t.taskId)
    // The manager's escalation task settles the attempt it escalated.
    const parent = task?.parentTaskId ? this.s.tasks.find((x) => x.taskId === task.parentTaskId) : undefined
    for (const settled of [task, parent]) {
      if (!settled) continue
      settled.status = 'done'
      settled.outcome = t.outcome
    }
    if (CONTACTED_TASK_OUTCOMES.has(t.outcome)) this.markContacted(t.completedAt)
    if (t.outcome === 'meeting_booked') this.stopSequence('meeting_booked')
    this.checkQualificationTrigger()
    this.touch()
  }

  private onContactability(c: ContactabilityChanged): void {
    // Signals sent before SMS steps existed carry no `sms` (and their journeys planned none):
    // they change the state exactly as they did when recorded, so those histories replay.
    const withSms = c.sms !== undefined
    this.s.channels = { email: c.email, whatsapp: c.whatsapp, ...(withSms ? { sms: c.sms } : {}) }
    const stop = c.reason === 'dnd' ? 'dnd' : 'opted_out'
    if (!c.email && !c.whatsapp && !c.sms) this.stopSequence(stop)
    else {
      let cancelled = false
      for (const step of this.s.sequence.steps) {
        if (step.status === 'planned' && !this.s.channels[step.channel]) {
          step.status = 'cancelled'
          step.note = c.reason
          cancelled = true
        }
      }
      // A DND cancels the SMS steps only; when they were all that was left, the sequence is over.
      if (withSms && cancelled && !this.s.sequence.steps.some((st) => st.status === 'planned'))
        this.stopSequence(stop)
    }
    this.touch()
  }

  /** Signals a version-1 run received while it upgraded, run through the same handlers. */
  private applyCarried(c: CarriedSignal): void {
    const [arg] = c.args as [never]
    if (c.name === engagementRecorded.name) this.onEngagement(arg)
    else if (c.name === taskCompleted.name) this.onTaskCompleted(arg)
    else if (c.name === contactabilityChanged.name) this.onContactability(arg)
    else if (c.name === ownerChanged.name) this.s.ownerId = (arg as { ownerId: string | null }).ownerId
  }

  // ---- State changes

  private touch(): void {
    this.wake = true
    this.publish()
  }

  private nowIso(): string {
    return new Date(workflowNow()).toISOString()
  }

  private setStage(stage: JourneyStage, reason: string): void {
    if (this.s.stage === stage) return
    this.s.stage = stage
    this.s.stageSince = this.nowIso()
    this.s.stageReason = reason
    this.s.unrecordedStages.push({ stage, reason, at: this.s.stageSince })
    this.publish()
  }

  private markContacted(at: string): void {
    this.s.contactedAt ??= at
    const next = stageAfterContact(this.s.stage)
    if (next !== this.s.stage) this.setStage(next, 'two-way contact')
  }

  private checkQualificationTrigger(): void {
    const trigger = this.s.policy?.conversionTrigger
    if (trigger && qualificationUnlocked(trigger, this.s)) {
      this.setStage('Qualification', `score ${this.s.score} > ${trigger.scoreAbove} while ${trigger.stage}`)
      this.stopSequence('in_qualification')
    }
  }

  private stopSequence(reason: string): void {
    if (this.s.sequence.stoppedReason !== null) return
    this.s.sequence.stoppedReason = reason
    for (const step of this.s.sequence.steps) {
      if (step.status === 'planned') {
        step.status = 'cancelled'
        step.note = reason
      }
    }
  }

  private recycle(reason: string): void {
    for (const t of this.s.tasks)
      if (t.status === 'open') Object.assign(t, { status: 'done', outcome: 'recycled' })
    this.stopSequence('recycled')
    this.setStage('Recycled', reason)
    this.s.recycleAt = new Date(workflowNow() + this.s.policy.recycleAfterDays * DAY).toISOString()
  }

  /**
   * Records every stage change in PostgreSQL (lead.status, the timeline, the decision log),
   * in order and one at a time: two changes made by one signal (Contacted, then
   * Qualification) are both on the timeline.
   */
  private flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      while (this.s.unrecordedStages.length > 0) {
        const next = this.s.unrecordedStages[0]!
        await db.recordJourneyStage({ leadId: this.s.leadId, ...next, contactedAt: this.s.contactedAt })
        this.s.unrecordedStages.shift()
      }
    })
    return this.flushing
  }

  /** The code version this run executes, as operators count it (JourneyVersion). */
  private recordVersion(version: JourneyVersion): void {
    if (version === this.version && this.versionRecorded) return
    this.version = version
    this.versionRecorded = true
    upsertSearchAttributes([{ key: JOURNEY_VERSION, value: version }])
  }

  private publish(): void {
    const { stage, score, ownerId } = this.s
    const changes = []
    if (stage !== this.published.stage) changes.push({ key: STAGE, value: stage })
    if (score !== this.published.score) changes.push({ key: SCORE, value: score })
    if (ownerId !== this.published.owner && ownerId !== null) changes.push({ key: OWNER, value: ownerId })
    if (changes.length === 0) return
    upsertSearchAttributes(changes as Parameters<typeof upsertSearchAttributes>[0])
    this.published = { stage, score, owner: ownerId }
  }

  private async continueAsNew(): Promise<never> {
    await condition(allHandlersFinished)
    await this.flush()
    return continueAsNew<typeof leadJourney>({ leadId: this.s.leadId, resume: this.s })
  }

  private view(): JourneyView {
    return { ...this.s, version: this.version, nextStep: describeNext(this.s, workflowNow()) }
  }
}
