/**
 * The copies themselves, with PostgreSQL's own programs, every production read inside one exported
 * snapshot so the tables agree with each other: schema and small tables through
 * `pg_dump -Fc | pg_restore`, the first rows of big ones through `COPY … TO STDOUT | COPY … FROM STDIN`
 * (two psql processes piped). Credentials travel in PG* variables (pgEnv), never in arguments.
 */
import { pipe, type PipeResult, type Side } from './fresh-pipe.js';
import { ident, qualified, type FreshTable, type Rel } from './fresh-tables.js';
import { dbnameConninfo, pgEnv } from './pg-tools.js';

export interface Tools {
  dump: string;
  restore: string;
  psql: string;
}

export interface CopyContext {
  tools: Tools;
  productionUrl: string;
  stagingUrl: string;
  /** pg_export_snapshot() of the transaction that read sizes and keys on production. */
  snapshot: string;
}

export type Section = 'pre-data' | 'data' | 'post-data';

/** pg_dump's -t takes a pattern: double quotes make each part literal (case, dots, `*`, `?`), `"` doubled. */
export const dumpPattern = (r: Rel) => `"${r.schema.replace(/"/g, '""')}"."${r.name.replace(/"/g, '""')}"`;

function dump(ctx: CopyContext, section: Section, tables: readonly FreshTable[]): Side {
  const args = ['-Fc', `--section=${section}`, `--snapshot=${ctx.snapshot}`, '--strict-names', ...tables.flatMap((t) => ['-t', dumpPattern(t.rel)])];
  return { path: ctx.tools.dump, args, env: pgEnv(ctx.productionUrl) };
}

function restore(ctx: CopyContext, extra: string[]): Side {
  const args = ['--no-owner', '--no-privileges', ...extra, '-d', dbnameConninfo(ctx.stagingUrl)];
  return { path: ctx.tools.restore, args, env: pgEnv(ctx.stagingUrl) };
}

/**
 * Tables and their owned sequences (pre-data, replacing what staging has: --clean --if-exists, in
 * one transaction), a table's rows and sequence values (data), or indexes, constraints and
 * triggers (post-data: every error is reported, not just the first; the caller decides).
 */
export function restoreSection(ctx: CopyContext, section: Section, tables: readonly FreshTable[]): Promise<PipeResult> {
  const extra = section === 'pre-data' ? ['--clean', '--if-exists', '--single-transaction', '--exit-on-error'] : section === 'data' ? ['--exit-on-error'] : [];
  return pipe(dump(ctx, section, tables), restore(ctx, extra));
}

/** The first `limit` rows of a big table (by primary key when it has one), streamed into staging's copy. */
export function copyFirstRows(ctx: CopyContext, rel: Rel, shape: { columns: string[]; orderBy: string[] }, limit: number): Promise<PipeResult> {
  const columns = shape.columns.map(ident).join(', ');
  const order = shape.orderBy.length > 0 ? ` ORDER BY ${shape.orderBy.map(ident).join(', ')}` : '';
  const psql = (url: string, commands: string[]): Side => ({
    path: ctx.tools.psql,
    args: ['-X', '-q', '-v', 'ON_ERROR_STOP=1', ...commands.flatMap((c) => ['-c', c])],
    env: pgEnv(url),
  });
  return pipe(
    psql(ctx.productionUrl, [
      'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY',
      `SET TRANSACTION SNAPSHOT '${ctx.snapshot.replace(/'/g, "''")}'`,
      `COPY (SELECT ${columns} FROM ${qualified(rel)}${order} LIMIT ${limit}) TO STDOUT`,
      'COMMIT',
    ]),
    psql(ctx.stagingUrl, [`COPY ${qualified(rel)} (${columns}) FROM STDIN`]),
  );
}
