/**
 * Which tables a fresh copy takes, read on production inside the copy's snapshot: the requested
 * ones, their foreign-key neighbours (transitively, each with why it came along), their sizes
 * against the row limit, and the foreign keys between them.
 */
import type pg from 'pg';
import { TripwireError } from '../errors.js';
import { displayName } from '../inspector/index.js';
import { parseObjectName } from '../policy/match.js';

export interface Rel {
  schema: string;
  name: string;
}

export interface FreshTable {
  rel: Rel;
  /** `public.customers`, quoted where needed. */
  key: string;
  /** `requested`, `references public.customers`, `referenced by public.orders`. */
  reason: string;
}

export interface ForeignKey {
  name: string;
  from: Rel;
  fromColumns: string[];
  to: Rel;
  toColumns: string[];
}

export interface TableSize {
  rows: number;
  /** Over the row limit, and big enough that reltuples stood in for count(*). */
  estimated: boolean;
}

/** Counting a table over the limit exactly stops being worth it here; reltuples says enough. */
export const HUGE_ROWS = 1_000_000;

/** An identifier in SQL: always quoted (keywords, case, dots), `"` doubled. */
export const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
export const qualified = (r: Rel) => `${ident(r.schema)}.${ident(r.name)}`;
export const keyOf = (r: Rel) => displayName({ schema: r.schema, name: r.name });

/** `customers`, `public.customers`, `"Billing"."Invoices"` → schema and name (public by default). */
export function parseTableName(written: string): Rel {
  const o = parseObjectName(written) ?? parseObjectName(`public.${written}`);
  if (!o || o.column !== undefined) throw new TripwireError('TW_FRESH_COPY_FAILED', { table: written, detail: 'not a table name ("schema.table" or "table")' });
  return { schema: o.schema, name: o.table };
}

/** Every foreign key between two ordinary or partitioned tables (not the copies on partitions). */
export async function foreignKeys(client: pg.Client): Promise<ForeignKey[]> {
  const { rows } = await client.query<{ name: string; fs: string; ft: string; fc: string[]; ts: string; tt: string; tc: string[] }>(
    `SELECT c.conname AS name, fn.nspname AS fs, f.relname AS ft, tn.nspname AS ts, t.relname AS tt,
            ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i)::text[] AS fc,
            ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i)::text[] AS tc
     FROM pg_constraint c
     JOIN pg_class f ON f.oid = c.conrelid JOIN pg_namespace fn ON fn.oid = f.relnamespace
     JOIN pg_class t ON t.oid = c.confrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace
     WHERE c.contype = 'f' AND c.conparentid = 0 AND NOT f.relispartition
     ORDER BY fn.nspname, f.relname, c.conname`,
  );
  return rows.map((r) => ({ name: r.name, from: { schema: r.fs, name: r.ft }, fromColumns: r.fc, to: { schema: r.ts, name: r.tt }, toColumns: r.tc }));
}

/** The requested tables, checked to exist in production. */
export async function requestedTables(client: pg.Client, written: readonly string[]): Promise<Rel[]> {
  const out: Rel[] = [];
  for (const w of written) {
    const r = parseTableName(w);
    const { rows } = await client.query(
      `SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')`,
      [r.schema, r.name],
    );
    if (rows.length === 0) throw new TripwireError('TW_FRESH_COPY_FAILED', { table: keyOf(r), detail: 'production has no such table' });
    if (!out.some((x) => x.schema === r.schema && x.name === r.name)) out.push(r);
  }
  return out;
}

/**
 * The requested tables and their foreign-key neighbours, transitively: pg_restore cannot rebuild
 * a table while another keeps a key to it, and a table's rows need the rows they reference.
 */
export function withNeighbours(requested: readonly Rel[], fks: readonly ForeignKey[]): FreshTable[] {
  const out = new Map<string, FreshTable>();
  const queue: Rel[] = [];
  for (const rel of requested) {
    out.set(keyOf(rel), { rel, key: keyOf(rel), reason: 'requested' });
    queue.push(rel);
  }
  const same = (a: Rel, b: Rel) => a.schema === b.schema && a.name === b.name;
  while (queue.length > 0) {
    const here = queue.shift()!;
    for (const fk of fks) {
      if (same(fk.from, fk.to)) continue;
      const [other, reason] = same(fk.to, here) ? [fk.from, `references ${keyOf(here)}`] : same(fk.from, here) ? [fk.to, `referenced by ${keyOf(here)}`] : [null, ''];
      if (!other || out.has(keyOf(other))) continue;
      out.set(keyOf(other), { rel: other, key: keyOf(other), reason });
      queue.push(other);
    }
  }
  return [...out.values()];
}

/** Rows in production: exact up to the limit and beyond it, unless the table is huge (reltuples). */
export async function tableSize(client: pg.Client, rel: Rel, limit: number): Promise<TableSize> {
  const { rows } = await client.query<{ bounded: string; estimate: string }>(
    `SELECT (SELECT count(*) FROM (SELECT FROM ${qualified(rel)} LIMIT ${limit + 1}) s) AS bounded,
            (SELECT reltuples::bigint FROM pg_class WHERE oid = $1::regclass) AS estimate`,
    [qualified(rel)],
  );
  const bounded = Number(rows[0]!.bounded);
  const estimate = Number(rows[0]!.estimate);
  if (bounded <= limit) return { rows: bounded, estimated: false };
  if (estimate >= HUGE_ROWS) return { rows: estimate, estimated: true };
  const exact = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${qualified(rel)}`);
  return { rows: Number(exact.rows[0]!.n), estimated: false };
}

/** The columns COPY can write (not dropped, not generated) and the primary key, for a stable "first n rows". */
export async function copyShape(client: pg.Client, rel: Rel): Promise<{ columns: string[]; orderBy: string[] }> {
  const { rows } = await client.query<{ columns: string[]; pk: string[] }>(
    `SELECT ARRAY(SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum)::text[] AS columns,
            ARRAY(SELECT a.attname FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n
                  WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY k.o)::text[] AS pk`,
    [qualified(rel)],
  );
  return { columns: rows[0]!.columns, orderBy: rows[0]!.pk };
}

/** Production's values of the identity and serial sequences a table owns (null: never used). */
export async function ownedSequences(client: pg.Client, rel: Rel): Promise<Array<{ sequence: string; last: string }>> {
  const { rows } = await client.query<{ sequence: string; last: string | null }>(
    `SELECT s.seq AS sequence, q.last_value::text AS last
     FROM (SELECT pg_get_serial_sequence($1, a.attname) AS seq FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped) s
     CROSS JOIN LATERAL (SELECT last_value FROM pg_sequences WHERE format('%I.%I', schemaname, sequencename) = s.seq) q
     WHERE s.seq IS NOT NULL`,
    [qualified(rel)],
  );
  return rows.filter((r): r is { sequence: string; last: string } => r.last !== null);
}
