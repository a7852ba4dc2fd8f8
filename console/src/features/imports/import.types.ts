/* Bulk imports as the console reads them (hand-written from api/schemas/import.schema.ts). */

/** connectors/import/mapping.ts IMPORT_FIELDS: the lead fields a column can feed. */
export const IMPORT_FIELDS = [
  'fullName',
  'firstName',
  'lastName',
  'email',
  'phone',
  'company',
  'title',
  'website',
  'industry',
  'companySize',
  'annualRevenue',
  'currency',
  'country',
  'state',
  'city',
  'budget',
  'authority',
  'need',
  'timeline',
  'externalId',
  'receivedAt',
  'source',
  'medium',
  'campaign',
  'consent',
] as const
export type ImportField = (typeof IMPORT_FIELDS)[number]

export const FIELD_LABELS: Record<ImportField, string> = {
  fullName: 'Full name (split into first and last)',
  firstName: 'First name',
  lastName: 'Last name',
  email: 'Email',
  phone: 'Phone',
  company: 'Company',
  title: 'Job title',
  website: 'Website',
  industry: 'Industry',
  companySize: 'Company size',
  annualRevenue: 'Annual revenue',
  currency: 'Currency',
  country: 'Country',
  state: 'State / region',
  city: 'City',
  budget: 'Budget',
  authority: 'Authority',
  need: 'Need',
  timeline: 'Timeline',
  externalId: 'External id',
  receivedAt: 'Received at (date)',
  source: 'Source (utm_source)',
  medium: 'Medium (utm_medium)',
  campaign: 'Campaign (utm_campaign)',
  consent: 'Consent (yes/no)',
}

/** Column name → lead field; null leaves the column out (it stays in the raw capture). */
export type ColumnMapping = Record<string, ImportField | null>

export interface ImportDefaults {
  source?: string
  medium?: string
  campaign?: string
  country?: string
  consent?: {
    granted: boolean
    text?: string
    textVersion?: string
    at?: string
    channels?: ('email' | 'whatsapp' | 'sms' | 'phone')[]
  }
}

export interface ImportCounts {
  created: number
  duplicatesInFile: number
  duplicatesInDb: number
  quarantined: number
  failed: number
  alreadyImported: number
}

export type ImportStatus = 'uploaded' | 'running' | 'completed' | 'failed' | 'cancelled'

export interface ImportJob {
  id: string
  status: ImportStatus
  /** The counts come from a preview; nothing was written. */
  dryRun: boolean
  fileName: string
  format: 'csv' | 'xlsx'
  fileHash: string
  sizeBytes: number
  mapping: ColumnMapping
  defaults: ImportDefaults
  onDuplicate: 'link' | 'skip'
  totalRows: number | null
  processedRows: number
  checkpointRow: number
  progress: number | null
  rowsPerSecond: number | null
  counts: ImportCounts
  error: string | null
  startedAt: string | null
  finishedAt: string | null
  createdAt: string
  createdBy: string
}

export interface SampleRow {
  rowNumber: number
  record: Record<string, string>
}

export interface ImportUploaded {
  job: ImportJob
  headers: string[]
  headerRow: number
  suggestedMapping: ColumnMapping
  sampleRows: SampleRow[]
}

export interface RowError {
  rowNumber: number
  errors: { field: string | null; column: string | null; message: string }[]
  raw: Record<string, string> | null
}

export interface ImportPreview {
  job: ImportJob
  counts: ImportCounts
  totalRows: number
  /** The first 50 row errors. */
  errors: RowError[]
}

export interface ImportRunBody {
  mapping: ColumnMapping
  defaults: ImportDefaults
  onDuplicate: 'link' | 'skip'
}
