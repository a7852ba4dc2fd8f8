import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

/*
 * The console is a static bundle that the API process serves under /console/ (see
 * api/plugins/console.plugin.ts), so it shares the API's origin and its session cookie.
 * `npm run console:dev` serves the sources with hot reload and forwards API calls to a
 * running `npm run dev`.
 */
const root = fileURLToPath(new URL('.', import.meta.url))
const api = process.env['LEADWIRE_API_URL'] ?? 'http://127.0.0.1:3000'

export default defineConfig({
  root,
  base: '/console/',
  plugins: [react()],
  // Loaded by the build script and the dev server alike; no .env files are read.
  envDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Pages load their own code (route-level lazy imports): the first paint only needs the shell.
    chunkSizeWarningLimit: 400,
  },
  server: {
    host: '127.0.0.1',
    proxy: Object.fromEntries(
      ['/v1', '/f', '/health', '/ready'].map((p) => [p, { target: api, changeOrigin: false }]),
    ),
  },
})
