import { formatDate, formatMoney } from './format.js'

/*
 * The payment reminder emails, one wording per reminder level: friendly before the due
 * date, plain on it, firmer once overdue, and a final notice at 30 days that says the
 * account team has been asked to follow up.
 */

export interface ReminderFacts {
  level: number
  invoiceNumber: string
  issueDate: string
  dueDate: string
  currency: string
  totalPaise: number
  balancePaise: number
  daysOverdue: number
  sellerName: string
  buyerName: string
  contactFirstName: string | null
}

export function composeReminderEmail(f: ReminderFacts): { subject: string; text: string } {
  const balance = formatMoney(f.balancePaise, f.currency)
  const due = formatDate(f.dueDate)
  const greeting = `Dear ${f.contactFirstName ?? `${f.buyerName} accounts team`},`
  const facts = [
    `Invoice: ${f.invoiceNumber} dated ${formatDate(f.issueDate)}`,
    `Invoice total: ${formatMoney(f.totalPaise, f.currency)}`,
    `Balance due: ${balance}`,
    `Due date: ${due}`,
  ].join('\n')
  const [subject, opening] =
    f.level <= 1
      ? [
          `Invoice ${f.invoiceNumber}: ${balance} due on ${due}`,
          `A friendly reminder that the invoice below falls due on ${due}.`,
        ]
      : f.level === 2
        ? [`Invoice ${f.invoiceNumber} is due today`, `The invoice below is due for payment today.`]
        : f.level < 5
          ? [
              `Overdue: invoice ${f.invoiceNumber} (${f.daysOverdue} days)`,
              `Our records show the invoice below is ${f.daysOverdue} days past its due date.`,
            ]
          : [
              `Final notice: invoice ${f.invoiceNumber} is ${f.daysOverdue} days overdue`,
              `The invoice below is now ${f.daysOverdue} days overdue, and our account team will contact you about it.`,
            ]
  const text = [
    greeting,
    '',
    opening,
    '',
    facts,
    '',
    'If you have already paid, please reply with the payment reference (UTR or cheque number) so we can match it.',
    '',
    `Regards,\n${f.sellerName}`,
  ].join('\n')
  return { subject, text }
}
