/**
 * What a table holds, measured by one streaming aggregate per table: its rows, and per column the
 * non-null count, the distinct count and an order-independent hash of the values (the sum of
 * their 64-bit hashes), so a copy of the values elsewhere is recognised by count and hash.
 */
import type pg from 'pg';
import { quoteIdent, type Catalog } from '../inspector/index.js';
import { splitDisplayName } from './names.js';
import type { TableSnapshot } from './types.js';

function columnsOf(catalog: Catalog, schema: string, table: string): string[] {
  const s = Object.hasOwn(catalog.schemas, schema) ? catalog.schemas[schema]! : undefined;
  const t = s && Object.hasOwn(s.tables, table) ? s.tables[table]! : undefined;
  return t ? Object.keys(t.columns) : [];
}

export function snapshotSql(schema: string, table: string, columns: readonly string[]): string {
  const parts = ['count(*)::text AS rows'];
  columns.forEach((c, i) => {
    const v = `${quoteIdent(c)}::text`;
    parts.push(`count(${quoteIdent(c)})::text AS n${i}`, `count(DISTINCT ${v})::text AS d${i}`, `coalesce(sum(hashtextextended(${v}, 0)::numeric), 0)::text AS h${i}`);
  });
  return `SELECT ${parts.join(', ')} FROM ${quoteIdent(schema)}.${quoteIdent(table)}`;
}

/** Snapshots of the given tables that exist in `catalog` (the others are skipped). */
export async function snapshotTables(client: pg.Client, catalog: Catalog, tables: readonly string[], onTable?: (table: string, i: number) => void): Promise<TableSnapshot[]> {
  const out: TableSnapshot[] = [];
  for (const [i, table] of tables.entries()) {
    const [schema, name] = splitDisplayName(table) as [string, string];
    const s = Object.hasOwn(catalog.schemas, schema) ? catalog.schemas[schema]! : undefined;
    if (!s || !Object.hasOwn(s.tables, name)) continue;
    onTable?.(table, i);
    const columns = columnsOf(catalog, schema, name);
    const { rows } = await client.query<Record<string, string>>(snapshotSql(schema, name, columns));
    const r = rows[0]!;
    out.push({
      table,
      rows: Number(r.rows),
      columns: columns.map((column, j) => ({ column, nonNull: Number(r[`n${j}`]), distinct: Number(r[`d${j}`]), hash: r[`h${j}`]! })),
    });
  }
  return out;
}
