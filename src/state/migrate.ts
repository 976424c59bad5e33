/**
 * Creates and migrates the `tripwire` schema, under a session advisory lock so that several
 * instances starting together migrate it once. Each version runs in its own transaction.
 */
import type { Logger } from 'pino';
import { TripwireError } from '../errors.js';
import { STATE_MIGRATIONS, STATE_SCHEMA } from './migrations.js';
import { MIGRATION_LOCK, type StateDb } from './state-db.js';

export async function migrateState(db: StateDb, logger: Logger): Promise<number> {
  const client = db.newClient('tripwire-migrate');
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    throw new TripwireError('TW_STATE_UNAVAILABLE', { address: db.address, detail: (err as Error).message }, { cause: err });
  }
  try {
    await client.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${STATE_SCHEMA}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${STATE_SCHEMA}.schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${STATE_SCHEMA}.schema_migrations`);
    const current = rows[0]?.v ?? 0;
    const latest = STATE_MIGRATIONS.at(-1)?.version ?? 0;
    if (current > latest) {
      throw new TripwireError('TW_STATE_MIGRATION_FAILED', { version: current, detail: `the state schema is at version ${current}, newer than this tripwire knows (${latest}): upgrade tripwire` });
    }
    for (const m of STATE_MIGRATIONS.filter((m) => m.version > current)) {
      try {
        await client.query('BEGIN');
        await client.query(m.sql);
        await client.query(`INSERT INTO ${STATE_SCHEMA}.schema_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new TripwireError('TW_STATE_MIGRATION_FAILED', { version: m.version, detail: (err as Error).message }, { cause: err });
      }
      logger.info({ version: m.version, name: m.name }, 'state schema migrated');
    }
    return latest;
  } catch (err) {
    if (err instanceof TripwireError) throw err;
    throw new TripwireError('TW_STATE_UNAVAILABLE', { address: db.address, detail: (err as Error).message }, { cause: err });
  } finally {
    await client.query('SELECT pg_advisory_unlock($1, $2)', [...MIGRATION_LOCK]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
