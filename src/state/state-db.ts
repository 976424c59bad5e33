/**
 * The state database: a small pool for tripwire's own queries, transactions, and the advisory
 * locks that keep several tripwire instances from stepping on each other.
 */
import pg from 'pg';
import type { Logger } from 'pino';
import { describeUpstream, parseUpstreamUrl, type UpstreamConfig } from '../config/upstream.js';
import { TripwireError } from '../errors.js';
import { clientConfig } from './connection.js';
import { migrateState } from './migrate.js';

/** Advisory lock class ids: "TW" for the schema migration, "TX" for per-target queue locks. */
export const MIGRATION_LOCK = [0x5457, 0] as const;
const TARGET_LOCK_CLASS = 0x5458;

export type Queryable = Pick<pg.ClientBase, 'query'>;

export interface StateDbOptions {
  url: string;
  logger: Logger;
  /** Pool size; default 5. */
  max?: number;
}

export class StateDb {
  readonly config: UpstreamConfig;
  readonly address: string;
  /** For single statements that need no transaction (errors are not mapped: see asStateError). */
  readonly pool: pg.Pool;
  private closed = false;

  private constructor(config: UpstreamConfig, pool: pg.Pool) {
    this.config = config;
    this.pool = pool;
    this.address = describeUpstream(config);
  }

  /** Connects and creates or migrates the `tripwire` schema; throws TW_STATE_UNAVAILABLE or TW_STATE_MIGRATION_FAILED. */
  static async open(o: StateDbOptions): Promise<StateDb> {
    const config = parseUpstreamUrl(o.url);
    const pool = new pg.Pool({ ...clientConfig(config, undefined, 'tripwire-state'), max: o.max ?? 5, idleTimeoutMillis: 30_000 });
    pool.on('error', (err) => o.logger.warn({ err: err.message }, 'state connection lost'));
    const db = new StateDb(config, pool);
    try {
      await migrateState(db, o.logger);
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    return db;
  }

  /** A fresh client of the same database (LISTEN needs its own connection). */
  newClient(applicationName: string): pg.Client {
    return new pg.Client(clientConfig(this.config, undefined, applicationName));
  }

  async query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    try {
      return (await this.pool.query<R>(sql, params)).rows;
    } catch (err) {
      throw asStateError(err, this.address);
    }
  }

  /** Runs `fn` in one transaction on one connection; rolls back if it throws. */
  async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw asStateError(err, this.address);
    }
    // A checked-out client has no pool listener: if the server goes away while `fn` awaits other
    // work, its 'error' event would otherwise be unhandled and end the process. The next query
    // on it fails and is reported as TW_STATE_UNAVAILABLE; the client is then discarded.
    let lost: Error | undefined;
    const onLost = (err: Error) => (lost = err);
    client.on('error', onLost);
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      if (!lost) await client.query('ROLLBACK').catch(() => undefined);
      throw asStateError(err, this.address);
    } finally {
      client.off('error', onLost);
      client.release(lost);
    }
  }

  /** `tx` holding the queue lock of one target database: one queue change per target at a time, across instances. */
  txForTarget<T>(target: string, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [TARGET_LOCK_CLASS, target]);
      return fn(c);
    });
  }

  /** Reachable now? For /readyz. */
  async ping(): Promise<boolean> {
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end().catch(() => undefined);
  }
}

/** Connection failures become TW_STATE_UNAVAILABLE; other errors (SQL, tripwire's own, bugs) pass unchanged. */
export function asStateError(err: unknown, address: string): unknown {
  if (err instanceof TripwireError || !(err instanceof Error)) return err;
  const e = err as Error & { code?: string; severity?: string };
  const lost = e.severity
    ? /^(57P|08)/.test(e.code ?? '')
    : /^(ECONN|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|EPIPE|EAI_AGAIN)/.test(e.code ?? '') || /Connection terminated|not queryable|timeout exceeded/i.test(e.message);
  return lost ? new TripwireError('TW_STATE_UNAVAILABLE', { address, detail: e.message }, { cause: err }) : err;
}
