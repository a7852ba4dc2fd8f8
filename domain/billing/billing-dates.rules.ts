import { daysBetween } from '../time/india-date.rules.js'

/*
 * When an invoice is overdue, and by how many days. Invoice dates are India dates
 * (domain/time/india-date.rules.ts).
 */

/** Overdue: an open balance and a due date before today (the due date itself is still on time). */
export function isOverdue(invoice: { open: boolean; dueDate: string }, today: string): boolean {
  return invoice.open && invoice.dueDate < today
}

/** Days past the due date, 0 when not overdue. */
export function daysOverdue(invoice: { open: boolean; dueDate: string }, today: string): number {
  return isOverdue(invoice, today) ? daysBetween(invoice.dueDate, today) : 0
}
