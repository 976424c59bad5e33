/**
 * `tripwire keys create|list|revoke`: API keys, straight in the state database (how the first
 * admin key is made). A new key is printed once, on stdout; only its hash is stored.
 */
import { Option, type Command } from 'commander';
import { pino } from 'pino';
import { TripwireError } from '../errors.js';
import { createApiKey, listApiKeys, revokeApiKey, ROLES, type Role } from '../state/api-keys.js';
import { StateDb } from '../state/state-db.js';

interface StateFlags {
  stateUrl?: string;
  upstream?: string;
}

function withState(cmd: Command): Command {
  return cmd
    .addOption(new Option('--state-url <url>', "tripwire's state database").env('TRIPWIRE_STATE_URL'))
    .addOption(new Option('--upstream <url>', 'the upstream server: the state database when --state-url is not given').env('TRIPWIRE_UPSTREAM'));
}

async function open<T>(flags: StateFlags, fn: (db: StateDb) => Promise<T>): Promise<T> {
  const url = flags.stateUrl ?? flags.upstream;
  if (!url) throw new TripwireError('TW_CONFIG_INVALID', { detail: '--state-url or --upstream (or TRIPWIRE_STATE_URL / TRIPWIRE_UPSTREAM) is required' });
  const db = await StateDb.open({ url, logger: pino({ level: 'silent' }) });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('API keys for the admin API (roles: ci, approver, admin)');
  withState(keys.command('create').description('create a key and print it once'))
    .addOption(new Option('--role <role>', 'what the key may do').choices(ROLES).makeOptionMandatory())
    .addOption(new Option('--name <name>', 'who holds it: recorded on reviews; an approver cannot approve a change authored under this name').makeOptionMandatory())
    .action(async (flags: StateFlags & { role: Role; name: string }) => {
      const key = await open(flags, (db) => createApiKey(db.pool, flags.name, flags.role));
      process.stderr.write(`created ${key.role} key ${key.id} for ${key.name}; it is shown once, keep it secret:\n`);
      process.stdout.write(`${key.key}\n`);
    });
  withState(keys.command('list').description('list keys (never the keys themselves)')).action(async (flags: StateFlags) => {
    for (const k of await open(flags, (db) => listApiKeys(db.pool))) {
      process.stdout.write(`${k.id}  ${k.role.padEnd(8)}  ${k.name}  created ${k.createdAt}${k.revokedAt ? `  revoked ${k.revokedAt}` : ''}\n`);
    }
  });
  withState(keys.command('revoke').description('revoke a key at once').argument('<id>', 'the key id (from keys list)')).action(async (id: string, flags: StateFlags) => {
    const key = await open(flags, (db) => revokeApiKey(db.pool, id));
    if (!key) throw new TripwireError('TW_CONFIG_INVALID', { detail: `no API key has id ${id}` });
    process.stdout.write(`revoked ${key.id} (${key.role}, ${key.name})\n`);
  });
}
