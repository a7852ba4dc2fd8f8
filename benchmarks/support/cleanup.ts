/**
 * Teardown steps run once, newest first, on success, on failure and on SIGINT/SIGTERM, so a
 * benchmark never leaves its API or PostgreSQL running. A second Ctrl-C exits at once (the
 * child-process exit guard still SIGKILLs the servers we spawned).
 */
export class Cleanup {
  private readonly steps: { what: string; run: () => Promise<void> }[] = []
  private running: Promise<void> | undefined
  /** Set on SIGINT/SIGTERM: what fails after it is the teardown's doing, not a finding. */
  signalled = false

  add(what: string, run: () => Promise<void>): void {
    this.steps.push({ what, run })
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        try {
          await step.run()
        } catch (err) {
          console.error(`cleanup: ${step.what} failed: ${(err as Error).message}`)
        }
      }
    })()
    return this.running
  }

  onSignals(): void {
    let first = 0
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        if (this.signalled) {
          // tsx forwards the same Ctrl-C again within milliseconds: only a later one means "now".
          if (performance.now() - first > 1000) process.exit(130)
          return
        }
        this.signalled = true
        first = performance.now()
        console.error(`\n${signal}: stopping the servers the benchmark started...`)
        void this.run().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143))
      })
    }
  }
}

/** Runs a benchmark's main with its teardown guaranteed, then exits with main's code. */
export async function runBenchmark(main: (cleanup: Cleanup) => Promise<number>): Promise<never> {
  const cleanup = new Cleanup()
  cleanup.onSignals()
  let exitCode = 1
  try {
    exitCode = await main(cleanup)
  } catch (err) {
    if (!cleanup.signalled) console.error(`benchmark failed: ${(err as Error).stack ?? String(err)}`)
  } finally {
    await cleanup.run()
  }
  process.exit(exitCode)
}
