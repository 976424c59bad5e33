/**
 * `--fresh-from-production`: rebuilds the tables a change touches on staging from production with
 * PostgreSQL's own tools, so a rehearsal never runs on stale or empty data. Foreign-key neighbours
 * come along (a table cannot be rebuilt while another keeps a key to it). Every production read
 * shares one exported snapshot, so the copied tables agree with each other. Tables over the row
 * limit get their schema from pg_dump and their first rows through COPY; rows that reference rows
 * the limit cut are left out, so every foreign key can still be restored.
 *
 * Order: drop on staging (CASCADE) → pre-data (tables, owned sequences) → data, table by table →
 * leave out orphaned rows → sequences of limited tables → post-data (indexes, constraints, triggers).
 */
import type pg from 'pg';
import type { Logger } from 'pino';
import { redactUrl } from '../config/upstream.js';
import { TripwireError } from '../errors.js';
import { connect } from './catalogs.js';
import { copyFirstRows, restoreSection, type CopyContext } from './fresh-copy.js';
import { foreignKeyFailures, pruneOrphans, type Pruned } from './fresh-keys.js';
import { copyShape, foreignKeys, ident, keyOf, ownedSequences, parseTableName, qualified, requestedTables, tableSize, withNeighbours, type ForeignKey, type FreshTable, type TableSize } from './fresh-tables.js';
import { findPgTool, serverMajor, withoutPasswords } from './pg-tools.js';

export interface FreshOptions {
  productionUrl: string;
  stagingUrl: string;
  /** Tables the migration touches that exist in production: `schema.table` or `table` (public). */
  tables: string[];
  /** Tables the migration creates that an earlier rehearsal left on staging: dropped there. */
  dropOnStaging: string[];
  /** Rows copied at most per table (default 100,000). */
  rowLimit?: number;
  onProgress?: (p: { step: 'fresh'; message: string; done?: number; total?: number }) => void;
  logger: Logger;
}

export interface FreshTableReport {
  table: string;
  /** Rows on staging now. */
  rows: number;
  /** Rows in production (reltuples when `estimated`). */
  productionRows: number;
  limited: boolean;
  /** Why it was copied: `requested`, `references public.customers`, `referenced by public.orders`. */
  reason: string;
  estimated?: boolean;
}

export interface FreshReport {
  tables: FreshTableReport[];
  /** Tables dropped on staging that production does not have. */
  dropped: string[];
  warnings: string[];
  text: string;
}

export const DEFAULT_ROW_LIMIT = 100_000;

const n = (x: number) => x.toLocaleString('en-US');

/** What every step of one fresh copy needs. */
interface Run {
  o: FreshOptions;
  limit: number;
  ctx: CopyContext;
  production: pg.Client;
  staging: pg.Client;
  warnings: string[];
  progress: (message: string, done?: number, total?: number) => void;
  failed: (table: string, detail: string, cause?: unknown) => TripwireError;
}

export async function freshFromProduction(o: FreshOptions): Promise<FreshReport> {
  const limit = o.rowLimit ?? DEFAULT_ROW_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new TripwireError('TW_CONFIG_INVALID', { detail: `rowLimit must be a positive integer, not ${String(o.rowLimit)}` });
  const progress = (message: string, done?: number, total?: number) => o.onProgress?.({ step: 'fresh', message, ...(done !== undefined ? { done, total } : {}) });
  const failed = (table: string, detail: string, cause?: unknown) =>
    new TripwireError('TW_FRESH_COPY_FAILED', { table, detail: withoutPasswords(detail, [o.productionUrl, o.stagingUrl]) }, cause === undefined ? undefined : { cause });
  const requested = o.tables.join(', ') || '(no tables)';
  const open = (url: string, side: string) =>
    connect(url, 'tripwire-fresh').catch((err: Error) => {
      throw failed(requested, `cannot connect to ${side} ${redactUrl(url)}: ${err.message}`, err);
    });

  const production = await open(o.productionUrl, 'production');
  let staging: pg.Client | null = null;
  try {
    staging = await open(o.stagingUrl, 'staging');
    // One snapshot for every read of production: sizes, keys, pg_dump (--snapshot) and COPY.
    await production.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const snapshot = (await production.query<{ s: string }>('SELECT pg_export_snapshot() AS s')).rows[0]!.s;
    const major = Math.max(await serverMajor(production), await serverMajor(staging));
    const [dump, restore, psql] = await Promise.all([findPgTool('pg_dump', major), findPgTool('pg_restore', major), findPgTool('psql', major)]);
    const ctx: CopyContext = { tools: { dump, restore, psql }, productionUrl: o.productionUrl, stagingUrl: o.stagingUrl, snapshot };
    const run: Run = { o, limit, ctx, production, staging, warnings: [], progress, failed };

    const fks = await foreignKeys(production);
    const tables = withNeighbours(await requestedTables(production, o.tables), fks);
    const inSet = new Set(tables.map((t) => t.key));
    const sizes = new Map<string, TableSize>();
    for (const t of tables) sizes.set(t.key, await tableSize(production, t.rel, limit));
    const dropped = await dropOnStaging(staging, tables, o.dropOnStaging, run.warnings, progress);
    const keys = fks.filter((fk) => inSet.has(keyOf(fk.from)) && inSet.has(keyOf(fk.to)));
    const pruned = tables.length > 0 ? await rebuild(run, tables, sizes, keys) : [];
    const report = await describe(staging, tables, sizes, limit, pruned, dropped, run.warnings);
    await production.query('COMMIT');
    return report;
  } catch (err) {
    if (err instanceof TripwireError) throw err;
    throw failed(requested, (err as Error).message, err);
  } finally {
    await production.end().catch(() => undefined);
    await staging?.end().catch(() => undefined);
  }
}

/** Schema, data table by table, rows orphaned by the limit left out, then indexes and constraints. */
async function rebuild(run: Run, tables: readonly FreshTable[], sizes: ReadonlyMap<string, TableSize>, keys: readonly ForeignKey[]): Promise<Pruned[]> {
  const all = tables.map((t) => t.key).join(', ');
  run.progress(`schema of ${tables.length} table(s) from production: ${all}`);
  const pre = await restoreSection(run.ctx, 'pre-data', tables);
  if (!pre.ok) throw run.failed(all, pre.stderr);

  const cut = new Set<string>();
  for (const [i, t] of tables.entries()) {
    if (await copyTable(run, t, sizes.get(t.key)!, i + 1, tables.length)) cut.add(t.key);
  }
  const pruned = cut.size > 0 ? await pruneOrphans(run.staging, keys, cut) : [];
  for (const p of pruned) run.warnings.push(`${p.table}: ${n(p.rows)} row(s) left out: they reference ${p.references} rows the row limit did not copy (${p.foreignKey})`);

  run.progress('indexes, constraints and triggers');
  const post = await restoreSection(run.ctx, 'post-data', tables);
  if (!post.ok) {
    // Keys the copied rows do not satisfy are named; anything else is a failure.
    const fkProblems = foreignKeyFailures(post.stderr);
    if (!fkProblems) throw run.failed(all, post.stderr);
    run.warnings.push(...fkProblems);
  }
  return pruned;
}

/** One table's rows: all of them through pg_dump | pg_restore, or the first `limit` through COPY. True when cut. */
async function copyTable(run: Run, t: FreshTable, size: TableSize, done: number, total: number): Promise<boolean> {
  const position = `${done}/${total}`;
  const started = Date.now();
  const cut = size.rows > run.limit;
  try {
    if (!cut) {
      run.progress(`copying ${t.key} (${n(size.rows)} rows) ${position}`, done, total);
      const data = await restoreSection(run.ctx, 'data', [t]);
      if (!data.ok) throw run.failed(t.key, data.stderr);
    } else {
      run.progress(`copying ${t.key} (${n(run.limit)} of ${size.estimated ? 'about ' : ''}${n(size.rows)} rows) ${position}`, done, total);
      const copied = await copyFirstRows(run.ctx, t.rel, await copyShape(run.production, t.rel), run.limit);
      if (!copied.ok) throw run.failed(t.key, copied.stderr);
      // pg_dump's data section sets the sequences of the tables it copies; these were not.
      for (const s of await ownedSequences(run.production, t.rel)) await run.staging.query('SELECT setval($1, $2, true)', [s.sequence, s.last]);
    }
  } catch (err) {
    throw err instanceof TripwireError ? err : run.failed(t.key, (err as Error).message, err);
  }
  run.o.logger.info({ table: t.key, productionRows: size.rows, limited: cut, ms: Date.now() - started }, 'fresh copy of a table');
  return cut;
}

/**
 * Drops the tables about to be rebuilt, and left-overs production does not have, on staging.
 * CASCADE, so a key from a table outside the set cannot block it; what else it takes is a warning.
 */
async function dropOnStaging(staging: pg.Client, tables: readonly FreshTable[], leftOvers: readonly string[], warnings: string[], progress: (m: string) => void): Promise<string[]> {
  const exists = async (r: { schema: string; name: string }) => (await staging.query('SELECT to_regclass($1) IS NOT NULL AS e', [qualified(r)])).rows[0]!.e === true;
  const dropped: string[] = [];
  for (const w of leftOvers) {
    const r = parseTableName(w);
    if (await exists(r)) dropped.push(keyOf(r));
  }
  const targets = [...tables.map((t) => t.rel), ...leftOvers.map(parseTableName)];
  for (const schema of new Set(tables.map((t) => t.rel.schema))) await staging.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
  if (targets.length === 0) return dropped;
  progress(`dropping on staging: ${targets.map(keyOf).join(', ')}`);
  const notices: string[] = [];
  const onNotice = (m: { message?: string; detail?: string }) => notices.push(m.detail ?? m.message ?? '');
  staging.on('notice', onNotice);
  try {
    await staging.query(`DROP TABLE IF EXISTS ${targets.map(qualified).join(', ')} CASCADE`);
  } finally {
    staging.off('notice', onNotice);
  }
  for (const m of notices) for (const line of m.split('\n')) if (/^drop cascades to /.test(line.trim())) warnings.push(`staging: ${line.trim()}`);
  return dropped;
}

async function describe(
  staging: pg.Client,
  tables: readonly FreshTable[],
  sizes: ReadonlyMap<string, TableSize>,
  limit: number,
  pruned: readonly Pruned[],
  dropped: string[],
  warnings: string[],
): Promise<FreshReport> {
  const out: FreshTableReport[] = [];
  const lines: string[] = [];
  for (const t of tables) {
    const size = sizes.get(t.key)!;
    const rows = Number((await staging.query<{ n: string }>(`SELECT count(*) AS n FROM ${qualified(t.rel)}`)).rows[0]!.n);
    const over = size.rows > limit;
    const left = pruned.filter((p) => p.table === t.key);
    const limited = over || left.length > 0;
    out.push({ table: t.key, rows, productionRows: size.rows, limited, reason: t.reason, ...(size.estimated ? { estimated: true } : {}) });
    const why = [over ? `limited to the first ${n(limit)}` : '', ...left.map((p) => `${n(p.rows)} left out: they reference ${p.references} rows not copied`)].filter(Boolean).join('; ');
    lines.push(`${t.key}: ${n(rows)} of ${size.estimated ? 'about ' : ''}${n(size.rows)} rows${limited ? ` (${why})` : ''}; ${t.reason}`);
  }
  for (const d of dropped) lines.push(`${d}: dropped on staging (production has no such table)`);
  for (const w of warnings) lines.push(`warning: ${w}`);
  return { tables: out, dropped, warnings, text: lines.join('\n') };
}
