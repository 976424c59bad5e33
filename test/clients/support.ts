/**
 * Small helpers the client tests share: run a real client program without blocking the event loop
 * (the proxy under test runs in this process), poll the server with a bounded wait, and checksum a
 * table directly on the server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import postgres from 'postgres';
import { pgBinary } from '../harness/binaries.js';
import { direct, serverUrl } from '../harness/env.js';

export interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface RunResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment for client programs: none of the caller's PG* settings, a fixed locale. */
export function clientEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PG')) env[k] = v;
  return { ...env, LC_ALL: 'C.UTF-8', PGCONNECT_TIMEOUT: '10', ...extra };
}

/** Starts a program with piped stdio and kills it at teardown if it is still running. */
export function spawnClient(t: Teardown, cmd: string, args: string[], env = clientEnv()): ChildProcess {
  const child = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  child.on('error', () => {}); // reported through the exit status
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

/** Collects a child's output and resolves when it exits. */
export function finished(child: ChildProcess): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

/** Runs a program to completion, feeding `input` on stdin. */
export async function run(t: Teardown, cmd: string, args: string[], input = '', env = clientEnv()): Promise<RunResult> {
  const child = spawnClient(t, cmd, args, env);
  const done = finished(child);
  child.stdin?.on('error', () => {});
  child.stdin?.end(input);
  return done;
}

/** psql with no ~/.psqlrc, connected by URL. */
export function psql(t: Teardown, url: string, args: string[], input = '', env = clientEnv()): Promise<RunResult> {
  return run(t, pgBinary('psql'), ['-X', '-d', url, ...args], input, env);
}

/** Polls `probe` until it returns a value other than undefined, failing after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until a backend on the shared server runs a statement starting with `prefix`, and returns its pid. */
export function activeBackend(database: string, prefix: string): Promise<number> {
  return waitFor(`a backend running ${JSON.stringify(prefix)}`, async () => {
    const rows = await direct<{ pid: number }>(
      database,
      `SELECT pid FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND starts_with(query, $1)`,
      [prefix],
    );
    return rows[0]?.pid;
  });
}

/** Row count and an md5 over every row's text form, in a stable order, read directly from the server. */
export async function tableChecksum(database: string, table: string): Promise<{ rows: number; md5: string }> {
  const [row] = await direct<{ rows: number; md5: string }>(
    database,
    `SELECT count(*)::int AS rows, md5(coalesce(string_agg(x.t, E'\\n' ORDER BY x.t COLLATE "C"), '')) AS md5
       FROM (SELECT r::text AS t FROM ${table} r) x`,
  );
  return row!;
}

/** `pg_dump --schema-only` of a database, read directly, without the per-run random \restrict key. */
export async function schemaDump(t: Teardown, database: string): Promise<string> {
  const r = await run(t, pgBinary('pg_dump'), ['--schema-only', '-d', serverUrl(database)]);
  if (r.status !== 0) throw new Error(`pg_dump failed: ${r.stderr}`);
  return withoutRestrictKey(r.stdout);
}

/** pg_dump's plain output with its per-run random \restrict key replaced, so two dumps compare. */
export function withoutRestrictKey(dump: string): string {
  return dump.replace(/^\\(un)?restrict .*$/gm, '\\$1restrict <key>');
}

/** A connected node-postgres client, ended at teardown. */
export async function pgClient(t: Teardown, config: string | pg.ClientConfig): Promise<pg.Client> {
  const client = new pg.Client(typeof config === 'string' ? { connectionString: config } : config);
  client.on('error', () => {}); // tests that expect errors assert them on the query
  await client.connect();
  t.teardown(() => client.end().catch(() => {}));
  return client;
}

/** A postgres.js instance on one connection (so queries pipeline on it), ended at teardown. */
export function postgresJs(t: Teardown, url: string, options: postgres.Options<{}> = {}): postgres.Sql {
  const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10, ...options });
  t.teardown(() => sql.end({ timeout: 1 }));
  return sql;
}

/** A temporary directory removed at teardown. */
export function tempDir(t: Teardown, prefix = 'tw-client-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The error a promise rejects with (fails if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error & { code?: string; severity?: string }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected the promise to reject, but it resolved');
}
