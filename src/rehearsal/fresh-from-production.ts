/**
 * `--fresh-from-production`: rebuilds the tables a change touches on staging from production with
 * PostgreSQL's own tools, so a rehearsal never runs on stale or empty data. Foreign-key neighbours
 * come along (a table cannot be rebuilt while another keeps a key to it). Tables over the row
 * limit get their schema from pg_dump and their first rows through psql's \copy.
 */
import type { Logger } from 'pino';
import { TripwireError } from '../errors.js';
import { displayName, quoteIdent } from '../inspector/index.js';
import { connect } from './catalogs.js';
import { pipe, type Side } from './fresh-pipe.js';
import { shortName, splitDisplayName } from './names.js';
import { findPgTool, pgEnv, serverMajor } from './pg-tools.js';

export interface FreshOptions {
  productionUrl: string;
  stagingUrl: string;
  /** Tables the migration touches that exist in production: `schema.table` or `table` (public). */
  tables: string[];
  /** Tables the migration creates that an earlier rehearsal left on staging: dropped there. */
  dropOnStaging: string[];
  /** Rows copied at most per table. */
  rowLimit?: number;
  onProgress?: (p: { step: 'fresh'; message: string; done?: number; total?: number }) => void;
  logger: Logger;
}

export interface FreshReport {
  tables: Array<{ table: string; rows: number; productionRows: number; limited: boolean; reason: string }>;
  dropped: string[];
  warnings: string[];
  text: string;
}

export const DEFAULT_ROW_LIMIT = 100_000;

interface Rel {
  schema: string;
  name: string;
}

const n = (x: number) => x.toLocaleString('en-US');
const rel = (display: string): Rel => {
  const parts = splitDisplayName(display);
  return parts.length === 1 ? { schema: 'public', name: parts[0]! } : { schema: parts[0]!, name: parts[1]! };
};
const qualified = (r: Rel) => `${quoteIdent(r.schema)}.${quoteIdent(r.name)}`;
/** pg_dump's -t takes a pattern: double quotes make each part literal (case, dots, wildcards). */
const pattern = (r: Rel) => `"${r.schema.replace(/"/g, '""')}"."${r.name.replace(/"/g, '""')}"`;

/** The requested tables and their foreign-key neighbours, transitively, each with why it is there. */
async function withNeighbours(client: import('pg').Client, requested: Rel[]): Promise<Map<string, { rel: Rel; reason: string }>> {
  const { rows } = await client.query<{ fs: string; ft: string; ts: string; tt: string }>(
    `SELECT fn.nspname AS fs, f.relname AS ft, tn.nspname AS ts, t.relname AS tt
     FROM pg_constraint c JOIN pg_class f ON f.oid = c.conrelid JOIN pg_namespace fn ON fn.oid = f.relnamespace
     JOIN pg_class t ON t.oid = c.confrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace
     WHERE c.contype = 'f' AND c.conrelid <> c.confrelid`,
  );
  const out = new Map<string, { rel: Rel; reason: string }>();
  const queue: Rel[] = [];
  for (const r of requested) {
    out.set(displayName({ schema: r.schema, name: r.name }), { rel: r, reason: 'requested' });
    queue.push(r);
  }
  while (queue.length > 0) {
    const r = queue.shift()!;
    const here = displayName({ schema: r.schema, name: r.name });
    for (const fk of rows) {
      const from = { schema: fk.fs, name: fk.ft };
      const to = { schema: fk.ts, name: fk.tt };
      const [other, reason] = fk.ts === r.schema && fk.tt === r.name ? [from, `references ${here}`] : fk.fs === r.schema && fk.ft === r.name ? [to, `referenced by ${here}`] : [null, ''];
      if (!other) continue;
      const key = displayName({ schema: other.schema, name: other.name });
      if (out.has(key)) continue;
      out.set(key, { rel: other, reason });
      queue.push(other);
    }
  }
  return out;
}

export async function freshFromProduction(o: FreshOptions): Promise<FreshReport> {
  const limit = o.rowLimit ?? DEFAULT_ROW_LIMIT;
  const progress = (message: string, done?: number, total?: number) => o.onProgress?.({ step: 'fresh', message, ...(done !== undefined ? { done, total } : {}) });
  const production = await connect(o.productionUrl, 'tripwire-fresh');
  let staging: import('pg').Client | null = null;
  const fail = (table: string, detail: string) =>
    new TripwireError('TW_FRESH_COPY_FAILED', { table, detail: redact(detail, [o.productionUrl, o.stagingUrl]) });
  try {
    staging = await connect(o.stagingUrl, 'tripwire-fresh').catch((err: Error) => {
      throw fail('(staging)', `cannot connect to staging: ${err.message}`);
    });
    const major = await serverMajor(production);
    const [dump, restore, psql] = await Promise.all([findPgTool('pg_dump', major), findPgTool('pg_restore', major), findPgTool('psql', major)]);
    const set = await withNeighbours(production, o.tables.map(rel));
    const entries = [...set.entries()];
    const sizes = new Map<string, number>();
    for (const [key, { rel: r }] of entries) sizes.set(key, Number((await production.query<{ n: string }>(`SELECT count(*) AS n FROM ${qualified(r)}`)).rows[0]!.n));
    const small = entries.filter(([k]) => sizes.get(k)! <= limit);
    const big = entries.filter(([k]) => sizes.get(k)! > limit);

    // Drop first, with CASCADE, so foreign keys from tables outside the set do not block it.
    const dropped = [...o.dropOnStaging.map(rel), ...entries.map(([, v]) => v.rel)];
    const warnings: string[] = [];
    const notices: string[] = [];
    staging.on('notice', (m) => notices.push(m.message ?? ''));
    progress(`dropping ${dropped.length} table(s) on staging`);
    for (const s of new Set(entries.map(([, v]) => v.rel.schema))) await staging.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(s)}`);
    if (dropped.length > 0) await staging.query(`DROP TABLE IF EXISTS ${dropped.map(qualified).join(', ')} CASCADE`);
    for (const m of notices) if (/^drop cascades to/.test(m)) warnings.push(`staging: ${m}`);

    const source = (args: string[]): Side => ({ path: dump, args: ['-Fc', '--no-owner', '--no-privileges', ...args], env: pgEnv(o.productionUrl) });
    const target = (args: string[] = []): Side => ({ path: restore, args: ['--no-owner', '--no-privileges', '--exit-on-error', '-d', pgEnv(o.stagingUrl).PGDATABASE!, ...args], env: pgEnv(o.stagingUrl) });
    const tablesArgs = (list: typeof entries) => list.flatMap(([, v]) => ['-t', pattern(v.rel)]);

    progress(`schema of ${entries.length} table(s) from production`);
    const pre = await pipe(source(['--section=pre-data', ...tablesArgs(entries)]), target());
    if (!pre.ok) throw fail(entries.map(([k]) => k).join(', '), pre.stderr);

    const total = entries.length;
    let done = 0;
    if (small.length > 0) {
      progress(`copying ${small.map(([k]) => `${shortName(k)} (${n(sizes.get(k)!)} rows)`).join(', ')}`, (done += small.length), total);
      const data = await pipe(source(['--section=data', ...tablesArgs(small)]), target());
      if (!data.ok) throw fail(small.map(([k]) => k).join(', '), data.stderr);
    }
    for (const [key, { rel: r }] of big) {
      progress(`copying ${shortName(key)}: the first ${n(limit)} of ${n(sizes.get(key)!)} rows`, ++done, total);
      const copied = await pipe(
        { path: psql, args: ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `\\copy (SELECT * FROM ${qualified(r)} LIMIT ${limit}) TO STDOUT`], env: pgEnv(o.productionUrl) },
        { path: psql, args: ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `\\copy ${qualified(r)} FROM STDIN`], env: pgEnv(o.stagingUrl) },
      );
      if (!copied.ok) throw fail(key, copied.stderr);
      await syncSequences(production, staging, r);
    }

    progress('indexes and constraints');
    const post = await pipe(source(['--section=post-data', ...tablesArgs(entries)]), { ...target(), args: target().args.filter((a) => a !== '--exit-on-error') });
    if (!post.ok) {
      // Rows cut by the limit can break a foreign key; say so rather than fail the rehearsal.
      const lines = post.stderr.split('\n').filter((l) => /error/i.test(l));
      if (big.length === 0 || lines.some((l) => !/foreign key|violates|is not present/i.test(l) && !/errors ignored/i.test(l) && !/could not execute query/i.test(l) && !/Command was/i.test(l))) throw fail('(constraints)', post.stderr);
      for (const l of lines.filter((x) => /violates foreign key constraint/i.test(x))) warnings.push(`row limit: ${l.replace(/^pg_restore:\s*(error:\s*)?/, '').trim()}`);
    }

    const tables = entries.map(([key, v]) => {
      const productionRows = sizes.get(key)!;
      return { table: key, rows: Math.min(productionRows, limit), productionRows, limited: productionRows > limit, reason: v.reason };
    });
    const droppedNames = o.dropOnStaging.map((d) => displayName(rel(d)));
    const text = [
      ...tables.map((t) => `${shortName(t.table)}: ${n(t.rows)} of ${n(t.productionRows)} rows${t.limited ? ` (limited to ${n(limit)})` : ''}; ${t.reason}`),
      ...droppedNames.map((d) => `${shortName(d)}: dropped on staging (production has no such table)`),
      ...warnings.map((w) => `warning: ${w}`),
    ].join('\n');
    return { tables, dropped: droppedNames, warnings, text };
  } finally {
    await production.end().catch(() => undefined);
    await staging?.end().catch(() => undefined);
  }
}

/** Identity and serial sequences continue where production's are, though fewer rows came over. */
async function syncSequences(production: import('pg').Client, staging: import('pg').Client, r: Rel): Promise<void> {
  // pg_sequences.last_value is null until the sequence is first used.
  const { rows } = await production.query<{ seq: string; last: string | null }>(
    `SELECT s.seq, q.last_value::text AS last
     FROM (SELECT pg_get_serial_sequence($1, a.attname) AS seq FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped) s
     CROSS JOIN LATERAL (SELECT last_value FROM pg_sequences WHERE format('%I.%I', schemaname, sequencename) = s.seq) q
     WHERE s.seq IS NOT NULL`,
    [qualified(r)],
  );
  for (const s of rows) if (s.last !== null) await staging.query('SELECT setval($1, $2, true)', [s.seq, s.last]);
}

function redact(text: string, urls: string[]): string {
  let out = text;
  for (const u of urls) {
    try {
      const p = decodeURIComponent(new URL(u).password);
      if (p) out = out.split(p).join('***');
    } catch {
      // not a URL: nothing to hide
    }
  }
  return out.trim();
}
