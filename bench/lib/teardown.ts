/**
 * Everything the bench starts registers how to stop it here. Steps run once, newest
 * first, and a failing step never keeps the others from running. SIGINT/SIGTERM run
 * them too, and a last synchronous pass on process exit kills what is still alive.
 */
export interface TeardownStep {
  name: string;
  /** Orderly stop. */
  stop(): void | Promise<void>;
  /** Last resort, must be synchronous: runs from the process 'exit' handler. */
  kill?(): void;
}

export class Teardown {
  private readonly steps: TeardownStep[] = [];
  private running: Promise<void> | undefined;
  readonly abort = new AbortController();

  add(step: TeardownStep): void {
    this.steps.push(step);
  }

  /** Runs every step still registered, newest first. Safe to call more than once. */
  run(): Promise<void> {
    this.running ??= this.drain();
    return this.running;
  }

  private async drain(): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.stop();
      } catch (err) {
        process.stderr.write(`bench: stopping ${step.name} failed: ${(err as Error).message}\n`);
        try {
          step.kill?.();
        } catch {
          // Nothing more can be done for this step; the others still run.
        }
      }
    }
  }

  /** Ctrl-C or SIGTERM: abort the running measurement, stop everything, exit 130. */
  installSignalHandlers(): void {
    const onSignal = (signal: NodeJS.Signals) => {
      process.stderr.write(`\nbench: ${signal}, stopping everything it started…\n`);
      this.abort.abort(new Error(`interrupted by ${signal}`));
      void this.run().finally(() => process.exit(130));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    process.once('exit', () => {
      for (const step of this.steps.splice(0).reverse()) {
        try {
          step.kill?.();
        } catch {
          // Exiting anyway.
        }
      }
    });
  }
}
