// `npm run build`: pre-builds the workflow bundle so production workers start without
// webpack (set WORKFLOW_BUNDLE_PATH to the file it writes).
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { bundleWorkflowCode } from '@temporalio/worker'
import { WORKFLOWS_ENTRY } from '../platform/worker-runtime.js'

const out = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js')
const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_ENTRY })
await mkdir(path.dirname(out), { recursive: true })
await writeFile(out, code)
console.log(
  `Wrote ${out} (${(code.length / 1024).toFixed(0)} KiB). Run workers with WORKFLOW_BUNDLE_PATH=${out}`,
)
