/*
 * The console's sections, each with the permission it needs: a role that may not read an
 * object never sees its section (and the API would refuse it anyway).
 */
export interface Section {
  path: string
  label: string
  object: string
  action: string
  /** Who the section is for, shown as the nav group. */
  group: 'Work' | 'Manage'
}

export const SECTIONS: readonly Section[] = [
  { path: '/tasks', label: 'My tasks', object: 'task', action: 'read', group: 'Work' },
  { path: '/leads', label: 'Leads', object: 'lead', action: 'read', group: 'Work' },
  { path: '/pipeline', label: 'Pipeline', object: 'opportunity', action: 'read', group: 'Manage' },
  { path: '/dashboards', label: 'Dashboards', object: 'report', action: 'read', group: 'Manage' },
  { path: '/channels', label: 'Channels', object: 'channel', action: 'read', group: 'Manage' },
  { path: '/imports', label: 'Imports', object: 'lead', action: 'create', group: 'Manage' },
]
