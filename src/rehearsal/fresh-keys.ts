/**
 * Foreign keys across a row limit. Rows referencing rows the limit cut are left out on staging
 * (transitively), so every foreign key can still be restored and staging keeps production's
 * schema (a missing key would be drift, and the rehearsal would not run). A key pg_restore still
 * cannot add is reported by name rather than failing the copy.
 */
import type pg from 'pg';
import { ident, keyOf, qualified, type ForeignKey } from './fresh-tables.js';

export interface Pruned {
  table: string;
  foreignKey: string;
  references: string;
  rows: number;
}

/**
 * Deletes on staging the rows of `keys`' referencing tables whose referenced row is not there,
 * starting from the tables in `cut`, until nothing more goes. The keys are not on staging yet
 * (post-data comes after), so this is what lets them be added.
 */
export async function pruneOrphans(staging: pg.Client, keys: readonly ForeignKey[], cut: ReadonlySet<string>): Promise<Pruned[]> {
  const reduced = new Set(cut);
  const out: Pruned[] = [];
  for (let changed = true; changed; ) {
    changed = false;
    for (const fk of keys) {
      if (!reduced.has(keyOf(fk.to))) continue;
      const match = fk.fromColumns.map((c, i) => `p.${ident(fk.toColumns[i]!)} = c.${ident(c)}`).join(' AND ');
      const present = fk.fromColumns.map((c) => `c.${ident(c)} IS NOT NULL`).join(' AND ');
      const res = await staging.query(`DELETE FROM ${qualified(fk.from)} c WHERE ${present} AND NOT EXISTS (SELECT FROM ${qualified(fk.to)} p WHERE ${match})`);
      const rows = res.rowCount ?? 0;
      if (rows === 0) continue;
      changed = true;
      reduced.add(keyOf(fk.from));
      const seen = out.find((p) => p.table === keyOf(fk.from) && p.foreignKey === fk.name);
      if (seen) seen.rows += rows;
      else out.push({ table: keyOf(fk.from), foreignKey: fk.name, references: keyOf(fk.to), rows });
    }
  }
  return out;
}

/**
 * pg_restore's post-data errors (it goes on after each): when every one is a foreign key the data
 * does not satisfy, their descriptions; otherwise null (something else broke: the copy fails).
 */
export function foreignKeyFailures(stderr: string): string[] | null {
  const blocks: string[] = [];
  for (const line of stderr.split('\n')) {
    if (/^pg_restore: error:/.test(line)) blocks.push(line);
    else if (/^pg_restore:/.test(line)) continue;
    else if (blocks.length > 0) blocks[blocks.length - 1] += `\n${line}`;
  }
  if (blocks.length === 0) return null;
  const out: string[] = [];
  for (const b of blocks) {
    const m = /on table "([^"]+)" violates foreign key constraint "([^"]+)"/.exec(b);
    if (!m) return null;
    const detail = /DETAIL:\s+(.*)/.exec(b)?.[1]?.trim();
    out.push(`foreign key ${m[2]} on ${m[1]} could not be restored: the rows copied do not satisfy it${detail ? ` (${detail})` : ''}`);
  }
  return out;
}
