import { createRequire } from 'node:module'
import path from 'node:path'
import PDFDocument from 'pdfkit'
import { amountInWords } from '../../domain/billing/amount-in-words.rules.js'
import { GST_STATE_CODES } from '../../domain/account/gstin.rules.js'
import { dateOnly, paise } from './amounts.js'
import { formatAmount, formatDate, formatMoney } from './format.js'
import { EXPORT_PLACE_OF_SUPPLY, type InvoiceWithDetail, type PartySnapshot } from './invoices.js'

/*
 * The invoice as a PDF, with the particulars a tax invoice must show (CGST Rules 2017,
 * rule 46): supplier and recipient with GSTINs, number and date, place of supply with its
 * state, HSN/SAC, quantity, value, taxable value, rate and amount of each tax, and the
 * total, here also in words. DejaVu Sans is embedded because the PDF standard fonts have no
 * rupee sign (₹, U+20B9).
 */

const require = createRequire(import.meta.url)
const FONT_DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf')
const REGULAR = path.join(FONT_DIR, 'DejaVuSans.ttf')
const BOLD = path.join(FONT_DIR, 'DejaVuSans-Bold.ttf')

const MARGIN = 40
const PAGE_WIDTH = 595.28 // A4
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
/** Room the totals, the amount in words and the signature need below the last line (points). */
const CLOSING_HEIGHT = 240

interface Column {
  title: string
  width: number
  align: 'left' | 'right'
}

function placeOfSupplyText(code: string | null, buyer: PartySnapshot): string {
  if (code === null) return '-'
  if (code === EXPORT_PLACE_OF_SUPPLY) return `${code} - Other Countries (${buyer.country})`
  return `${code} - ${GST_STATE_CODES[code] ?? 'Unknown state'}`
}

function partyLines(p: PartySnapshot): string[] {
  const state = p.stateCode ? `State: ${p.stateName ?? ''} (code ${p.stateCode})` : `Country: ${p.country}`
  return [p.address ?? '', `GSTIN: ${p.gstin ?? 'Unregistered'}`, state].filter((l) => l !== '')
}

/** Renders an issued invoice to PDF bytes. */
export async function renderInvoicePdf(invoice: InvoiceWithDetail): Promise<Buffer> {
  const seller = invoice.seller as unknown as PartySnapshot
  const buyer = invoice.buyer as unknown as PartySnapshot
  const intra = invoice.taxRegime === 'intra_state'
  const registered = seller.gstin !== null
  const currency = invoice.currency
  const title = registered ? 'Tax Invoice' : 'Bill of Supply'

  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    font: REGULAR,
    info: { Title: `${title} ${invoice.number}`, Author: seller.name },
  })
  doc.registerFont('regular', REGULAR)
  doc.registerFont('bold', BOLD)
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })

  // Heading
  doc.font('bold').fontSize(16).text(title, MARGIN, MARGIN, { width: CONTENT_WIDTH, align: 'center' })
  if (invoice.taxRegime === 'export')
    doc
      .font('regular')
      .fontSize(8)
      .text('Export: supply with payment of IGST', { width: CONTENT_WIDTH, align: 'center' })
  if (invoice.status === 'void')
    doc
      .font('bold')
      .fontSize(10)
      .fillColor('#b00020')
      .text('VOID', { width: CONTENT_WIDTH, align: 'center' })
      .fillColor('black')

  // Seller (left) and invoice particulars (right)
  const top = doc.y + 12
  const half = CONTENT_WIDTH / 2 - 10
  doc.font('bold').fontSize(11).text(seller.name, MARGIN, top, { width: half })
  doc.font('regular').fontSize(8.5).text(partyLines(seller).join('\n'), { width: half })
  const leftBottom = doc.y
  const right = MARGIN + CONTENT_WIDTH / 2 + 10
  const particulars = [
    ['Invoice No.', invoice.number],
    ['Invoice date', formatDate(dateOnly(invoice.issueDate))],
    ['Due date', formatDate(dateOnly(invoice.dueDate))],
    ['Place of supply', placeOfSupplyText(invoice.placeOfSupply, buyer)],
    ['Reverse charge', 'No'],
  ]
  let y = top
  for (const [label, value] of particulars) {
    doc.font('regular').fontSize(8.5).text(`${label}:`, right, y, { width: 80 })
    doc.font('bold').text(value ?? '', right + 82, y, { width: half - 82 })
    y = doc.y + 2
  }

  // Buyer
  y = Math.max(leftBottom, y) + 14
  doc.font('bold').fontSize(9).text('Bill to', MARGIN, y)
  doc.font('bold').fontSize(10.5).text(buyer.name, { width: CONTENT_WIDTH })
  doc.font('regular').fontSize(8.5).text(partyLines(buyer).join('\n'), { width: CONTENT_WIDTH })

  // Lines
  const taxColumns: Column[] = intra
    ? [
        { title: 'CGST', width: 52, align: 'right' },
        { title: 'SGST', width: 52, align: 'right' },
      ]
    : [{ title: 'IGST', width: 60, align: 'right' }]
  const columns: Column[] = [
    { title: '#', width: 16, align: 'left' },
    { title: 'Description', width: intra ? 112 : 150, align: 'left' },
    { title: 'HSN/SAC', width: 44, align: 'left' },
    { title: 'Qty', width: 38, align: 'right' },
    { title: 'Rate', width: 56, align: 'right' },
    { title: 'Taxable value', width: 62, align: 'right' },
    { title: 'GST%', width: 30, align: 'right' },
    ...taxColumns,
    { title: 'Total', width: intra ? 53 : 59, align: 'right' },
  ]
  const row = (cells: string[], font: 'regular' | 'bold') => {
    doc.font(font).fontSize(7.5)
    const height = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: columns[i]!.width - 4 })))
    if (y + height > doc.page.height - MARGIN - 140) {
      doc.addPage()
      y = MARGIN
    }
    let x = MARGIN
    cells.forEach((c, i) => {
      const col = columns[i]!
      doc.text(c, x + 2, y, { width: col.width - 4, align: col.align })
      x += col.width
    })
    y += height + 4
    doc
      .moveTo(MARGIN, y - 2)
      .lineTo(MARGIN + CONTENT_WIDTH, y - 2)
      .lineWidth(0.3)
      .stroke('#999999')
  }
  y = doc.y + 14
  doc
    .moveTo(MARGIN, y - 3)
    .lineTo(MARGIN + CONTENT_WIDTH, y - 3)
    .lineWidth(0.6)
    .stroke('#333333')
  row(
    columns.map((c) => c.title),
    'bold',
  )
  for (const l of invoice.lines) {
    const taxes = intra
      ? [formatAmount(paise(l.cgst)), formatAmount(paise(l.sgst))]
      : [formatAmount(paise(l.igst))]
    row(
      [
        String(l.lineNo),
        l.description,
        l.hsnSac ?? '',
        String(Number(l.quantity)),
        formatAmount(paise(l.unitPrice)),
        formatAmount(paise(l.taxableValue)),
        String(Number(l.gstRate)),
        ...taxes,
        formatAmount(paise(l.total)),
      ],
      'regular',
    )
  }

  // Totals. They, the amount in words and the signature are kept on one page: each is placed
  // at an explicit y, so a page break pdfkit made in the middle would scatter them, one per page.
  y += 8
  if (y + CLOSING_HEIGHT > doc.page.height - MARGIN) {
    doc.addPage()
    y = MARGIN
  }
  const totals: [string, string][] = [
    ['Taxable value', formatMoney(paise(invoice.subtotal), currency)],
    ...(intra
      ? ([
          ['CGST', formatMoney(paise(invoice.cgst), currency)],
          ['SGST', formatMoney(paise(invoice.sgst), currency)],
        ] as [string, string][])
      : ([['IGST', formatMoney(paise(invoice.igst), currency)]] as [string, string][])),
    ['Round off', formatMoney(paise(invoice.roundOff), currency)],
  ]
  const labelX = MARGIN + CONTENT_WIDTH - 230
  for (const [label, value] of totals) {
    doc.font('regular').fontSize(9).text(label, labelX, y, { width: 110 })
    doc.text(value, labelX + 110, y, { width: 120, align: 'right' })
    y = doc.y + 3
  }
  doc
    .font('bold')
    .fontSize(11)
    .text('Total', labelX, y + 2, { width: 110 })
  doc.text(formatMoney(paise(invoice.total), currency), labelX + 110, y + 2, { width: 120, align: 'right' })
  y = doc.y + 12
  doc.font('regular').fontSize(8.5).text('Amount in words:', MARGIN, y)
  doc.font('bold').text(amountInWords(paise(invoice.total), currency), { width: CONTENT_WIDTH })

  // Footer
  y = doc.y + 30
  doc
    .font('regular')
    .fontSize(8.5)
    .text(`For ${seller.name}`, MARGIN, y, { width: CONTENT_WIDTH, align: 'right' })
  doc.text('Authorised signatory', MARGIN, y + 30, { width: CONTENT_WIDTH, align: 'right' })
  doc
    .fontSize(7)
    .fillColor('#555555')
    .text('This is a computer-generated invoice.', MARGIN, y + 50, { width: CONTENT_WIDTH, align: 'center' })
  doc.end()
  return done
}
