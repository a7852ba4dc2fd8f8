import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { detectHeaderRow, headerNames } from '../../../connectors/import/header.js'
import { readCsv, sniffDelimiter } from '../../../connectors/import/read-csv.js'
import { openSheet } from '../../../connectors/import/read-sheet.js'
import { cellText, readXlsx } from '../../../connectors/import/read-xlsx.js'
import { ImportFileError, type SheetItem } from '../../../connectors/import/sheet-row.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'leadwire-readers-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function file(name: string, content: string | Buffer): Promise<string> {
  const p = path.join(dir, name)
  await writeFile(p, content)
  return p
}
async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}

describe('detectHeaderRow', () => {
  it('skips a title line and blank lines before the column names', () => {
    expect(
      detectHeaderRow([
        ['Expo leads, Nov 2026', '', ''],
        ['', '', ''],
        ['Name', 'Email', 'Mobile'],
        ['Asha', 'asha@x.example.in', '9876543210'],
      ]),
    ).toBe(2)
  })
  it('does not take a data row for the header', () => {
    expect(
      detectHeaderRow([
        ['Asha', 'asha@x.example.in', '9876543210'],
        ['Name', 'Email', 'Phone'],
      ]),
    ).toBe(1)
  })
  it('falls back to the first non-empty row when every row looks like data, and -1 when there is none', () => {
    expect(detectHeaderRow([[], ['a@b.example.in', '98765 43210']])).toBe(1)
    expect(detectHeaderRow([[], ['', '']])).toBe(-1)
  })
  it('works for a single-column file', () => {
    expect(detectHeaderRow([['Email'], ['a@b.example.in']])).toBe(0)
  })
})

describe('headerNames', () => {
  it('names blank columns and numbers repeated names', () => {
    expect(headerNames([' Name ', '', 'Phone', 'phone', 'Phone'])).toEqual([
      'Name',
      'Column 2',
      'Phone',
      'phone (2)',
      'Phone (3)',
    ])
  })
})

describe('CSV reader', () => {
  it('sniffs the delimiter of the first line outside quotes', () => {
    expect(sniffDelimiter('a,b,c\n1;2')).toBe(',')
    expect(sniffDelimiter('\uFEFFName;Email;"A, B"\n')).toBe(';')
    expect(sniffDelimiter('Name\tEmail\n')).toBe('\t')
    expect(sniffDelimiter('Email\n')).toBe(',')
  })

  it('streams rows numbered as a spreadsheet shows them, keeps stray quotes, reports unreadable rows', async () => {
    const p = await file(
      'a.csv',
      '\uFEFFName,Email\r\n\r\nAsha,"asha@x.example.in"\r\n"Multi\r\nline",m@x.example.in\r\nTV,5" screen\r\n' +
        'Last,l@x.example.in\r\nBroken,"never closed\r\n',
    )
    expect(await all(readCsv(p))).toEqual<SheetItem[]>([
      { rowNumber: 1, cells: ['Name', 'Email'] },
      { rowNumber: 3, cells: ['Asha', 'asha@x.example.in'] },
      { rowNumber: 4, cells: ['Multi\r\nline', 'm@x.example.in'] },
      { rowNumber: 5, cells: ['TV', '5" screen'] },
      { rowNumber: 6, cells: ['Last', 'l@x.example.in'] },
      { rowNumber: 7, error: expect.stringMatching(/quote not closed/i) },
    ])
  })

  it('refuses binary content', async () => {
    const p = await file('b.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]))
    await expect(all(readCsv(p))).rejects.toBeInstanceOf(ImportFileError)
  })

  it('opens a sheet: finds the header, yields records by column name', async () => {
    const p = await file(
      'c.csv',
      'Leads\n\nName,Email,City\nAsha,asha@x.example.in,Pune\n,,\nRavi,ravi@x.example.in\n',
    )
    const sheet = await openSheet(p, 'csv')
    expect(sheet.headers).toEqual(['Name', 'Email', 'City'])
    expect(sheet.headerRow).toBe(3)
    expect(await all(sheet.rows)).toEqual([
      { rowNumber: 4, record: { Name: 'Asha', Email: 'asha@x.example.in', City: 'Pune' } },
      { rowNumber: 6, record: { Name: 'Ravi', Email: 'ravi@x.example.in', City: '' } },
    ])
  })
})

describe('XLSX reader', () => {
  it('turns cell values into the text a person sees', () => {
    expect(cellText(919876543210)).toBe('919876543210')
    expect(cellText(12.5)).toBe('12.5')
    expect(cellText(new Date(Date.UTC(2026, 10, 24)))).toBe('2026-11-24')
    expect(cellText(new Date(Date.UTC(2026, 10, 24, 9, 30)))).toBe('2026-11-24T09:30:00.000Z')
    expect(cellText({ richText: [{ text: 'Asha ' }, { text: 'Rao' }] })).toBe('Asha Rao')
    expect(cellText({ formula: 'A1&B1', result: 'AB' })).toBe('AB')
    expect(cellText({ text: 'site', hyperlink: 'https://x.example.in' })).toBe('site')
    expect(cellText({ error: '#N/A' })).toBe('')
    expect(cellText(true)).toBe('TRUE')
    expect(cellText(null)).toBe('')
  })

  it('streams the first worksheet with 1-based row numbers, skipping empty rows', async () => {
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('Leads')
    sheet.addRow(['Name', 'Email', 'Phone'])
    sheet.addRow(['Asha', 'asha@x.example.in', 9876543210])
    sheet.addRow([])
    sheet.getCell('A4').value = 'Ravi'
    sheet.getCell('C4').value = 9876500001
    workbook.addWorksheet('Other').addRow(['ignored'])
    const p = await file('a.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()))
    expect(await all(readXlsx(p))).toEqual([
      { rowNumber: 1, cells: ['Name', 'Email', 'Phone'] },
      { rowNumber: 2, cells: ['Asha', 'asha@x.example.in', '9876543210'] },
      { rowNumber: 4, cells: ['Ravi', '', '9876500001'] },
    ])
  })

  it('refuses a file that is not a workbook', async () => {
    const p = await file('b.xlsx', 'Name,Email\nA,a@x.example.in\n')
    await expect(all(readXlsx(p))).rejects.toBeInstanceOf(ImportFileError)
  })
})
