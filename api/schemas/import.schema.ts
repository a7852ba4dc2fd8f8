import { Type } from 'typebox'
import { IMPORT_FIELDS } from '../../connectors/import/mapping.js'

/*
 * Bulk imports (connectors/import): upload a CSV or XLSX file, map its columns, preview the
 * outcome (dry run), run it in the background and follow its progress and row errors.
 */

const NullableTime = Type.Union([Type.String({ format: 'date-time' }), Type.Null()])

export const ImportMapping = Type.Record(
  Type.String({ maxLength: 200 }),
  Type.Union([Type.Enum([...IMPORT_FIELDS]), Type.Null()]),
  {
    description:
      'Column name → lead field (null leaves the column out; it stays in the raw capture). `fullName` is split into first and last name; `consent` reads yes/no.',
  },
)

export const ImportDefaults = Type.Object(
  {
    source: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    medium: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    campaign: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    country: Type.Optional(
      Type.String({ minLength: 2, maxLength: 60, description: 'For rows without a country.' }),
    ),
    consent: Type.Optional(
      Type.Object(
        {
          granted: Type.Boolean(),
          text: Type.Optional(Type.String({ maxLength: 5000 })),
          textVersion: Type.Optional(Type.String({ maxLength: 100 })),
          at: Type.Optional(Type.String({ format: 'date-time' })),
          channels: Type.Optional(
            Type.Array(Type.Enum(['email', 'whatsapp', 'sms', 'phone']), { maxItems: 4 }),
          ),
        },
        { additionalProperties: false, description: 'The consent the people in the file gave, as evidence.' },
      ),
    ),
  },
  { additionalProperties: false, description: 'What holds for every row of the file.' },
)

export const ImportRunBody = Type.Object(
  {
    mapping: Type.Optional(ImportMapping),
    defaults: Type.Optional(ImportDefaults),
    onDuplicate: Type.Optional(
      Type.Enum(['link', 'skip'], {
        description:
          'A row whose person is already in the database: `link` (default) records it as a duplicate of that lead, `skip` leaves it out.',
      }),
    ),
  },
  { additionalProperties: false, title: 'ImportRun' },
)

const Counts = Type.Object({
  created: Type.Integer({ description: 'New leads.' }),
  duplicatesInFile: Type.Integer({
    description: 'Rows repeating an earlier row of the file (linked to its lead).',
  }),
  duplicatesInDb: Type.Integer({
    description: 'Rows whose person was already in the database (linked or skipped).',
  }),
  quarantined: Type.Integer({ description: 'Likely spam: stored for review, no journey.' }),
  failed: Type.Integer({ description: 'Rows refused (see the error report).' }),
  alreadyImported: Type.Integer({
    description: 'Rows an earlier run of the same file had imported (delivery ledger).',
  }),
})

export const ImportJob = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    status: Type.Enum(['uploaded', 'running', 'completed', 'failed', 'cancelled']),
    dryRun: Type.Boolean({ description: 'The counts come from a preview; nothing was written.' }),
    fileName: Type.String(),
    format: Type.Enum(['csv', 'xlsx']),
    fileHash: Type.String({
      description: 'sha256 of the file: the same file imported twice creates nothing new.',
    }),
    sizeBytes: Type.Integer(),
    mapping: ImportMapping,
    defaults: ImportDefaults,
    onDuplicate: Type.Enum(['link', 'skip']),
    totalRows: Type.Union([Type.Integer(), Type.Null()], {
      description: 'Known after a preview or a full run.',
    }),
    processedRows: Type.Integer(),
    checkpointRow: Type.Integer({ description: 'Last row committed: a resumed run starts after it.' }),
    progress: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]),
    rowsPerSecond: Type.Union([Type.Number(), Type.Null()]),
    counts: Counts,
    error: Type.Union([Type.String(), Type.Null()]),
    startedAt: NullableTime,
    finishedAt: NullableTime,
    createdAt: Type.String({ format: 'date-time' }),
    createdBy: Type.String(),
  },
  { title: 'ImportJob' },
)

export const ImportUploaded = Type.Object(
  {
    job: ImportJob,
    headers: Type.Array(Type.String()),
    headerRow: Type.Integer({ description: 'Row number of the detected header row.' }),
    suggestedMapping: ImportMapping,
    sampleRows: Type.Array(
      Type.Object({ rowNumber: Type.Integer(), record: Type.Record(Type.String(), Type.String()) }),
    ),
  },
  { title: 'ImportUploaded' },
)

const RowError = Type.Object({
  rowNumber: Type.Integer(),
  errors: Type.Array(
    Type.Object({
      field: Type.Union([Type.String(), Type.Null()], { description: 'The lead field (email, phone...).' }),
      column: Type.Union([Type.String(), Type.Null()], { description: "The file's column it came from." }),
      message: Type.String(),
    }),
  ),
  raw: Type.Union([Type.Record(Type.String(), Type.String()), Type.Null()], {
    description: 'The row as read (null when the line could not be read).',
  }),
})

export const ImportPreview = Type.Object(
  {
    job: ImportJob,
    counts: Counts,
    totalRows: Type.Integer(),
    errors: Type.Array(RowError, { description: 'The first 50 row errors.' }),
  },
  { title: 'ImportPreview' },
)

export const ImportErrorPage = Type.Object(
  { items: Type.Array(RowError), nextCursor: Type.Union([Type.String(), Type.Null()]) },
  { title: 'ImportErrors' },
)

export const ImportJobList = Type.Object(
  { items: Type.Array(ImportJob), nextCursor: Type.Union([Type.String(), Type.Null()]) },
  { title: 'ImportJobList' },
)

export const ImportParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

export const ImportUploadQuery = Type.Object(
  { fileName: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })) },
  { additionalProperties: false },
)

/** A page of import jobs, newest first: the cursor is the last job id of the previous page. */
export const JobPageQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ format: 'uuid' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
)

/** A page of a job's row errors: the cursor is the last row number of the previous page. */
export const ErrorPageQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,10}$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
)
