import type pg from 'pg';

type Queryable = Pick<pg.Client, 'query'>;

/** What a destructive statement would take with it, as measured on the live database. */
export interface DataAtStake {
  schema: string;
  table: string;
  column?: string;
  /** Rows in the table (exact when `exact`, else pg_class.reltuples). */
  rows: number;
  /** Non-null values in the column, or rows when no column is named. */
  values: number;
  exact: boolean;
}

export interface StakeOptions {
  /** Tables estimated below this many rows are counted exactly. */
  exactCountMaxRows: number;
  /** The exact count's statement_timeout; on timeout the estimate stands. */
  exactCountTimeoutMs: number;
}

export const DEFAULT_STAKE_OPTIONS: StakeOptions = { exactCountMaxRows: 100_000, exactCountTimeoutMs: 500 };

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Estimates from statistics only: never a scan. Null when the relation does not exist. */
async function estimate(db: Queryable, schema: string, table: string, column?: string): Promise<DataAtStake | null> {
  const rel = await db.query<{ reltuples: number; relpages: number }>(
    `SELECT c.reltuples::float8 AS reltuples, c.relpages FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p', 'm')`,
    [schema, table],
  );
  const r = rel.rows[0];
  if (!r) return null;
  // reltuples is -1 before the first VACUUM/ANALYZE: unknown, so assume there may be data.
  const rows = r.reltuples < 0 ? (r.relpages > 0 ? Number.POSITIVE_INFINITY : 0) : Math.round(r.reltuples);
  let values = rows;
  if (column) {
    const stats = await db.query<{ null_frac: number }>(
      'SELECT null_frac::float8 AS null_frac FROM pg_stats WHERE schemaname = $1 AND tablename = $2 AND attname = $3',
      [schema, table, column],
    );
    if (stats.rows[0]) values = Math.round(rows * (1 - stats.rows[0].null_frac));
  }
  return { schema, table, ...(column ? { column } : {}), rows, values, exact: false };
}

/**
 * How much data a drop or wipe would destroy. Small tables are counted exactly under a
 * statement_timeout; large ones are estimated from pg_class and pg_stats, never scanned.
 * Identifiers go into the count only after the catalog confirms they exist, and quoted.
 */
export async function dataAtStake(
  db: Queryable,
  target: { schema: string; table: string; column?: string },
  options: StakeOptions = DEFAULT_STAKE_OPTIONS,
): Promise<DataAtStake | null> {
  const est = await estimate(db, target.schema, target.table, target.column);
  if (!est || est.rows > options.exactCountMaxRows) return est;
  if (target.column) {
    const exists = await db.query(
      `SELECT 1 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relname = $2 AND a.attname = $3 AND a.attnum > 0 AND NOT a.attisdropped`,
      [target.schema, target.table, target.column],
    );
    if (exists.rowCount === 0) return null;
  }
  const relation = `${quoteIdent(target.schema)}.${quoteIdent(target.table)}`;
  const valueExpr = target.column ? `count(${quoteIdent(target.column)})` : 'count(*)';
  try {
    await db.query('BEGIN READ ONLY');
    await db.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(options.exactCountTimeoutMs))}`);
    const res = await db.query<{ rows: string; values: string }>(`SELECT count(*) AS rows, ${valueExpr} AS values FROM ${relation}`);
    await db.query('COMMIT');
    const row = res.rows[0]!;
    return { ...est, rows: Number(row.rows), values: Number(row.values), exact: true };
  } catch {
    await db.query('ROLLBACK').catch(() => undefined);
    return est;
  }
}
