/**
 * Did the data survive? Compares the snapshots from before and after the migrations. A table that
 * still exists keeps its rows. A column whose values are gone (dropped, emptied, rewritten) must
 * have them somewhere afterwards, recognised by the same non-null count and hash, or be declared
 * discarded. Pure.
 */
import { sameColumn } from './names.js';
import type { ColumnLoss, ColumnMove, ColumnSnapshot, RowLoss, TableSnapshot } from './types.js';

export interface Verdict {
  rowLosses: RowLoss[];
  losses: ColumnLoss[];
  moves: ColumnMove[];
  discarded: Array<{ column: string; values: number; reason: string }>;
}

const key = (table: string, column: string) => `${table}.${column}`;

function columns(snapshots: readonly TableSnapshot[]): Map<string, ColumnSnapshot> {
  const out = new Map<string, ColumnSnapshot>();
  for (const t of snapshots) for (const c of t.columns) out.set(key(t.table, c.column), c);
  return out;
}

const same = (a: ColumnSnapshot | undefined, b: ColumnSnapshot | undefined) => a !== undefined && b !== undefined && a.nonNull === b.nonNull && a.hash === b.hash;

export function verify(before: readonly TableSnapshot[], after: readonly TableSnapshot[], discards: ReadonlyArray<{ column: string; reason: string }>): Verdict {
  const verdict: Verdict = { rowLosses: [], losses: [], moves: [], discarded: [] };
  const afterTables = new Map(after.map((t) => [t.table, t]));
  for (const t of before) {
    const a = afterTables.get(t.table);
    if (a && a.rows < t.rows) verdict.rowLosses.push({ table: t.table, before: t.rows, after: a.rows });
  }
  const was = columns(before);
  const now = columns(after);
  // Where values may have gone: columns that are new, or whose contents changed.
  const destinations = [...now].filter(([k, c]) => !same(was.get(k), c));
  for (const [k, c] of was) {
    if (c.nonNull === 0 || same(c, now.get(k))) continue;
    const home = destinations.find(([to, d]) => to !== k && d.nonNull === c.nonNull && d.hash === c.hash);
    if (home) {
      verdict.moves.push({ from: k, to: home[0], values: c.nonNull });
      continue;
    }
    const declared = discards.find((d) => sameColumn(d.column, k));
    if (declared) verdict.discarded.push({ column: k, values: c.nonNull, reason: declared.reason });
    else verdict.losses.push({ column: k, before: c.nonNull, after: now.get(k)?.nonNull ?? 0 });
  }
  return verdict;
}
