import type { Reporter, TestModule } from 'vitest/node'

/**
 * Closes every run with one plain line, `tests: N passed, N failed, N skipped`. Vitest's own
 * summary is a table ("Tests  1684 passed (1684)") that log readers outside vitest do not
 * recognise; this line is the one they do. Failing modules (a file that did not load) count
 * as failures, so a broken file cannot read as a clean run.
 */
export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0
    let failed = unhandledErrors.length
    let skipped = 0
    for (const testModule of testModules) {
      if (testModule.state() === 'failed' && [...testModule.children.allTests()].length === 0) failed += 1
      for (const test of testModule.children.allTests()) {
        const state = test.result().state
        if (state === 'passed') passed += 1
        else if (state === 'failed') failed += 1
        else skipped += 1
      }
    }
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`)
  }
}
