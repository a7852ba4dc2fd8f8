// @ts-check
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/*
 * Imports point inward (STYLE.md section 2): these entries stop the edges from drifting.
 * domain/ imports nothing of ours; ingestion/ only domain/ and platform/; workflows/ only
 * domain/, its own files and activity *types*; api/ and ingestion/outbox/ only the
 * workflows' *.messages.ts (and the search-attribute keys they re-export); crm/ (transactional
 * CRM services used by the API and activities) likewise.
 */
const ours = (...dirs) =>
  dirs.flatMap((d) => [`../${d}/*`, `../../${d}/*`, `../../../${d}/*`, `../../../../${d}/*`])

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'generated/',
      '.data/',
      '.tools/',
      'dist/',
      'console/dist/',
      'coverage/',
      'prisma/migrations/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ours(
                'api',
                'activities',
                'connectors',
                'ingestion',
                'platform',
                'workflows',
                'generated',
              ),
              message: 'domain/ is pure: it imports nothing of ours.',
            },
            {
              group: ['node:*', '@prisma/*', '@temporalio/*'],
              message: 'domain/ is pure: no I/O, no frameworks.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['ingestion/**/*.ts'],
    ignores: ['ingestion/outbox/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ours('api', 'activities', 'connectors', 'workflows'),
              message: 'ingestion/ imports only domain/ and platform/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['api/**/*.ts', 'ingestion/outbox/**/*.ts', 'crm/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+workflows/(?!.*\\.messages\\.js$)',
              message: 'Import only workflows/*.messages.ts here: workflow code runs in the worker sandbox.',
            },
            { group: ours('activities'), message: 'Activities run in the worker, not here.' },
          ],
        },
      ],
    },
  },
  {
    // The web console runs in the browser and talks to the server over HTTP only.
    files: ['console/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../../../*', 'node:*', '@prisma/*', '@temporalio/*'],
              message: 'The console is a browser app: it reaches the server through /v1 only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ours('api', 'connectors', 'ingestion', 'platform', 'generated'),
              message: 'Workflows are deterministic: no I/O modules.',
            },
            { group: ['node:*', 'pg', '@prisma/*'], message: 'Workflows are deterministic: no I/O.' },
            {
              group: ours('activities'),
              allowTypeImports: true,
              message: 'Workflows import activity types only (proxyActivities).',
            },
          ],
        },
      ],
    },
  },
)
