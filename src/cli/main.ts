#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { TripwireError } from '../errors.js';

/** Exit codes: 0 ok, 1 findings (lint), 2 usage or configuration errors. */
export const EXIT_USAGE = 2;

const program = new Command('tripwire')
  .description('A PostgreSQL proxy that holds data-destroying statements before they reach the database.')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();

type Register = (program: Command) => void;

/**
 * Each command's module, loaded only when that command runs: `tripwire lint` in CI should not pay
 * for loading the proxy, the admin API and their dependencies. Help loads them all.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  proxy: async () => (await import('./proxy-command.js')).registerProxyCommand,
  lint: async () => (await import('./lint-command.js')).registerLintCommand,
  plan: async () => (await import('./plan-command.js')).registerPlanCommand,
  serve: async () => (await import('./serve-command.js')).registerServeCommand,
  admin: async () => (await import('./admin-command.js')).registerAdminCommand,
  ship: async () => (await import('./ship-command.js')).registerShipCommand,
  keys: async () => (await import('./keys-command.js')).registerKeysCommand,
  rehearse: async () => (await import('./rehearse-command.js')).registerRehearseCommand,
};

const wanted = process.argv[2];
for (const name of wanted !== undefined && wanted in COMMANDS ? [wanted] : Object.keys(COMMANDS)) {
  (await COMMANDS[name]!())(program);
}

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
