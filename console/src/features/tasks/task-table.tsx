import { Fragment } from 'react'
import { Badge } from '../../ui/page'
import { formatDateTime, formatRelative, humanize } from '../../ui/format'
import { CompleteTaskForm } from './complete-task-form'
import { SnoozeTaskForm } from './snooze-task-form'
import { TASK_KIND_LABELS, type Task, type TaskOutcome } from './task.types'
import { TaskSubject } from './task-subject'
import type { Subject } from './use-task-subjects'

export type OpenPanel = { taskId: string; action: 'complete' | 'snooze' } | null

const PRIORITY_TONE = { high: 'bad', normal: 'neutral', low: 'info' } as const

/**
 * The tasks of one tab. Complete and Snooze open their form inline, in a row under the
 * task, so the person keeps their place in the list and the keyboard order stays simple.
 */
export function TaskTable({
  tasks,
  subjectOf,
  open,
  setOpen,
  registerButton,
  onCompleted,
  onSnoozed,
  showSnoozed,
}: {
  tasks: Task[]
  subjectOf: (task: Task) => Subject
  open: OpenPanel
  setOpen: (panel: OpenPanel) => void
  registerButton: (key: string, el: HTMLButtonElement | null) => void
  onCompleted: (task: Task, outcome: TaskOutcome) => Promise<void>
  onSnoozed: (task: Task, until: Date) => Promise<void>
  showSnoozed: boolean
}) {
  const now = Date.now()
  const close = () => setOpen(null)
  return (
    <div className="table-scroll">
      <table className="table task-table">
        <caption className="visually-hidden">Tasks</caption>
        <thead>
          <tr>
            <th scope="col">Task</th>
            <th scope="col">Priority</th>
            <th scope="col">Due</th>
            <th scope="col">Concerns</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((task) => {
            const panel = open?.taskId === task.id ? open.action : null
            const panelId = `task-panel-${task.id}`
            return (
              <Fragment key={task.id}>
                <tr className={panel ? 'task-row is-open' : 'task-row'}>
                  <td>
                    <div className="task-title">{task.title}</div>
                    <div className="task-meta">
                      <Badge tone="info">{TASK_KIND_LABELS[task.kind] ?? humanize(task.kind)}</Badge>
                      {task.escalatedAt ? <Badge tone="warn">Escalated</Badge> : null}
                    </div>
                    {task.description ? (
                      <div className="muted small task-description">{task.description}</div>
                    ) : null}
                  </td>
                  <td>
                    <Badge tone={PRIORITY_TONE[task.priority as keyof typeof PRIORITY_TONE] ?? 'neutral'}>
                      {humanize(task.priority)}
                    </Badge>
                  </td>
                  <td>
                    <time
                      dateTime={task.dueAt}
                      title={formatDateTime(task.dueAt)}
                      className={task.overdue ? 'overdue' : undefined}
                    >
                      {formatRelative(task.dueAt, now)}
                    </time>
                    <div className="muted small">{formatDateTime(task.dueAt)}</div>
                    {task.overdue ? <span className="visually-hidden"> (overdue)</span> : null}
                    {showSnoozed && task.snoozedUntil ? (
                      <div className="small">Snoozed until {formatDateTime(task.snoozedUntil)}</div>
                    ) : null}
                  </td>
                  <td>
                    <TaskSubject subject={subjectOf(task)} />
                  </td>
                  <td className="task-actions">
                    <button
                      type="button"
                      className={`btn ${panel === 'complete' ? 'btn-primary' : 'btn-secondary'}`}
                      ref={(el) => registerButton(`${task.id}:complete`, el)}
                      aria-expanded={panel === 'complete'}
                      aria-controls={panel === 'complete' ? panelId : undefined}
                      aria-label={`Complete “${task.title}”`}
                      onClick={() =>
                        setOpen(panel === 'complete' ? null : { taskId: task.id, action: 'complete' })
                      }
                    >
                      Complete
                    </button>
                    <button
                      type="button"
                      className={`btn ${panel === 'snooze' ? 'btn-primary' : 'btn-secondary'}`}
                      ref={(el) => registerButton(`${task.id}:snooze`, el)}
                      aria-expanded={panel === 'snooze'}
                      aria-controls={panel === 'snooze' ? panelId : undefined}
                      aria-label={`Snooze “${task.title}”`}
                      onClick={() =>
                        setOpen(panel === 'snooze' ? null : { taskId: task.id, action: 'snooze' })
                      }
                    >
                      Snooze
                    </button>
                  </td>
                </tr>
                {panel ? (
                  <tr className="task-panel-row" id={panelId}>
                    <td colSpan={5}>
                      {panel === 'complete' ? (
                        <CompleteTaskForm task={task} onDone={onCompleted} onCancel={close} />
                      ) : (
                        <SnoozeTaskForm task={task} onDone={onSnoozed} onCancel={close} />
                      )}
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
