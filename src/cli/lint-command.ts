import type { Command } from 'commander';

/** Placeholder until the inspector lands: `tripwire lint` is built in src/inspector. */
export function registerLintCommand(program: Command): void {
  program
    .command('lint')
    .description('lint migrations (not built yet)')
    .action(() => {
      throw new Error('tripwire lint is not built yet');
    });
}
