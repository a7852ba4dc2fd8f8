import type { ConnectorManifest } from '../sdk/connector.js'

export const importManifest: ConnectorManifest = {
  id: 'import',
  title: 'Bulk import (CSV, XLSX)',
  channel: 'import',
  kind: 'file',
  summary:
    'Lead lists from CSV or XLSX files: upload, map columns, preview (dry run), then run through the governed pipeline in batches, with progress and a row error report. Also `npm run import`.',
  settings: [{ key: 'IMPORT_DIR' }],
  endpoints: [
    {
      method: 'POST',
      path: '/v1/imports',
      auth: 'session or API key (lead permission)',
      access: { object: 'lead', action: 'create' },
    },
    {
      method: 'POST',
      path: '/v1/imports/:id/preview',
      auth: 'session or API key (lead permission)',
      access: { object: 'lead', action: 'create' },
    },
    {
      method: 'POST',
      path: '/v1/imports/:id/run',
      auth: 'session or API key (lead permission)',
      access: { object: 'lead', action: 'create' },
    },
    {
      method: 'GET',
      path: '/v1/imports/:id',
      auth: 'session or API key (lead permission)',
      access: { object: 'lead', action: 'read' },
    },
    {
      method: 'GET',
      path: '/v1/imports/:id/errors',
      auth: 'session or API key (lead permission)',
      access: { object: 'lead', action: 'read' },
    },
    {
      method: 'GET',
      path: '/v1/imports',
      auth: 'session or API key (lead permission)',
      access: { object: 'lead', action: 'read' },
    },
  ],
  deliveryKey:
    "The file's sha256 and the row number (`<sha256>:<row>`): the same file imported again skips the rows it already imported.",
}
