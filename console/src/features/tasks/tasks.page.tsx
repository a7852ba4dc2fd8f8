import { useQueryClient } from '@tanstack/react-query'
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { useSearchParams } from 'react-router'
import { Button } from '../../ui/button'
import { formatDateTime, humanize } from '../../ui/format'
import { Empty, Loading, Page } from '../../ui/page'
import { ProblemAlert } from '../../ui/problem-alert'
import { Flash, useFlash } from '../leads/flash'
import { BucketTabs } from './bucket-tabs'
import { browserTimeZone } from './snooze-times'
import type { Task, TaskOutcome } from './task.types'
import { TaskTable, type OpenPanel } from './task-table'
import { BUCKETS, useTaskBucket, type Bucket } from './use-task-inbox'
import { useTaskSubjects } from './use-task-subjects'
import '../leads/sdr-common.css'
import './tasks.css'

const EMPTY: Record<Bucket, string> = {
  overdue: 'Nothing overdue. Well done.',
  today: 'Nothing else is due today.',
  upcoming: 'Nothing due after today.',
  snoozed: 'No snoozed tasks.',
}

/**
 * My tasks: the signed-in person's open tasks by when they are due, in their own time zone,
 * with Complete (with an outcome) and Snooze on each. The chosen tab is in the URL.
 */
export default function TasksPage() {
  const [params, setParams] = useSearchParams()
  const requested = params.get('due')
  const bucket: Bucket = BUCKETS.some((b) => b.id === requested) ? (requested as Bucket) : 'overdue'
  const tz = useMemo(browserTimeZone, [])
  const lists = {
    overdue: useTaskBucket('overdue', tz),
    today: useTaskBucket('today', tz),
    upcoming: useTaskBucket('upcoming', tz),
    snoozed: useTaskBucket('snoozed', tz),
  }
  const list = lists[bucket]
  const subjectOf = useTaskSubjects(list.items)
  const flash = useFlash()
  const queryClient = useQueryClient()
  const [open, setOpen] = useState<OpenPanel>(null)
  const buttons = useRef(new Map<string, HTMLButtonElement>())
  const panelRef = useRef<HTMLDivElement>(null)

  const registerButton = useCallback((key: string, el: HTMLButtonElement | null) => {
    if (el) buttons.current.set(key, el)
    else buttons.current.delete(key)
  }, [])
  // Where focus goes once the list has re-rendered: a button (by key), or the list itself.
  // Applied in the same commit as the change, so it never lands after the person moved on.
  const [focusTarget, setFocusTarget] = useState<{ key: string | null } | null>(null)
  useLayoutEffect(() => {
    if (!focusTarget) return
    const button = focusTarget.key ? buttons.current.get(focusTarget.key) : undefined
    if (button) button.focus()
    else panelRef.current?.focus()
  }, [focusTarget])
  const focusLater = (key: string | null) => setFocusTarget({ key })

  const choosePanel = (next: OpenPanel) => {
    // Closing a form (Cancel, Escape) gives focus back to the button that opened it.
    if (!next && open) focusLater(`${open.taskId}:${open.action}`)
    setOpen(next)
  }

  /** After a task leaves the list: reload every tab, then focus the next task (or the list). */
  const afterAction = async (task: Task, message: string) => {
    const index = list.items.findIndex((t) => t.id === task.id)
    const next = list.items[index + 1] ?? list.items[index - 1]
    // The lead's page (if cached) refreshes in the background; the inbox is waited for.
    if (task.leadId) void queryClient.invalidateQueries({ queryKey: ['lead', task.leadId] })
    await queryClient.invalidateQueries({ queryKey: ['tasks'] })
    setOpen(null)
    flash.show(message)
    focusLater(next ? `${next.id}:complete` : null)
  }
  const onCompleted = (task: Task, outcome: TaskOutcome) =>
    afterAction(task, `“${task.title}” completed: ${humanize(outcome).toLowerCase()}.`)
  const onSnoozed = (task: Task, until: Date) =>
    afterAction(task, `“${task.title}” snoozed until ${formatDateTime(until.toISOString())}.`)

  const select = (b: Bucket) => {
    setOpen(null)
    setParams(b === 'overdue' ? {} : { due: b }, { replace: true })
  }
  const counts = Object.fromEntries(BUCKETS.map((b) => [b.id, lists[b.id].count])) as Record<
    Bucket,
    string | null
  >

  return (
    <Page title="My tasks">
      <p className="muted small tasks-zone">Due dates in your time zone, {tz}.</p>
      <Flash message={flash.message} />
      <BucketTabs current={bucket} counts={counts} onSelect={select} />
      <div
        className="tasks-panel"
        role="tabpanel"
        id="tasks-panel"
        aria-labelledby={`tab-${bucket}`}
        tabIndex={-1}
        ref={panelRef}
      >
        {list.isPending ? (
          <Loading label="Loading your tasks…" />
        ) : list.error && list.items.length === 0 ? (
          <ProblemAlert error={list.error} />
        ) : list.items.length === 0 && !list.hasNextPage ? (
          <Empty>{EMPTY[bucket]}</Empty>
        ) : (
          <>
            {list.items.length > 0 ? (
              <TaskTable
                tasks={list.items}
                subjectOf={subjectOf}
                open={open}
                setOpen={choosePanel}
                registerButton={registerButton}
                onCompleted={onCompleted}
                onSnoozed={onSnoozed}
                showSnoozed={bucket === 'snoozed'}
              />
            ) : null}
            {list.error ? <ProblemAlert error={list.error} /> : null}
            {list.hasNextPage ? (
              <div className="load-more">
                <Button onClick={list.loadMore} busy={list.isFetchingNextPage}>
                  Load more
                </Button>
              </div>
            ) : null}
          </>
        )}
      </div>
    </Page>
  )
}
