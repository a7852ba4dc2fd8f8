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
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        if (this.signalled) process.exit(130)
        this.signalled = true
        console.error(`\n${signal}: stopping the API and PostgreSQL...`)
        void this.run().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143))
      })
    }
  }
}
