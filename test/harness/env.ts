import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { MD5_ROLE, SCRAM_ROLE } from './cluster.js';

/** Set by test/run.ts (or by the user) before tap starts: the shared test server. */
export function serverUrl(database = 'postgres'): string {
  const base = process.env.TRIPWIRE_TEST_DATABASE_URL;
  if (!base) throw new Error('TRIPWIRE_TEST_DATABASE_URL is not set: run the suite with `npm test`');
  const url = new URL(base);
  url.pathname = '/' + database;
  return url.toString();
}

export function serverHostPort(): { host: string; port: number } {
  const url = new URL(serverUrl());
  return { host: url.hostname, port: Number(url.port || 5432) };
}

export const roles = { scram: SCRAM_ROLE, md5: MD5_ROLE };

interface Teardown {
  teardown(fn: () => unknown): void;
}

/** A new, empty database on the shared server, dropped when the test ends. */
export async function freshDatabase(t: Teardown, prefix = 'tw'): Promise<string> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  t.teardown(async () => {
    const c = new pg.Client({ connectionString: serverUrl() });
    await c.connect();
    try {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await c.end();
    }
  });
  return name;
}

/** Runs SQL directly against the server (never through the proxy): the reference side of every comparison. */
export async function direct<T = Record<string, unknown>>(database: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: serverUrl(database) });
  await c.connect();
  try {
    const res = await c.query(sql, params);
    return res.rows as T[];
  } finally {
    await c.end();
  }
}
