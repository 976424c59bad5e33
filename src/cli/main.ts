#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { TripwireError } from '../errors.js';
import { registerLintCommand } from './lint-command.js';
import { registerPlanCommand } from './plan-command.js';
import { registerProxyCommand } from './proxy-command.js';

/** Exit codes: 0 ok, 1 findings (lint), 2 usage or configuration errors. */
export const EXIT_USAGE = 2;

const program = new Command('tripwire')
  .description('A PostgreSQL proxy that holds data-destroying statements before they reach the database.')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();

registerProxyCommand(program);
registerLintCommand(program);
registerPlanCommand(program);

function fail(message: string): never {
  process.stderr.write(`tripwire: ${message}\n`);
  process.exit(EXIT_USAGE);
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Help and version are not errors; commander already printed its message otherwise.
    process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE);
  }
  if (err instanceof TripwireError) fail(err.message);
  fail(err instanceof Error ? err.message : String(err));
}
