/**
 * What a change does to the shape of the database: relations and columns it creates and removes
 * (a rename is both), and columns whose type changes. From the inspector's catalog before and
 * after the migrations. The same names, read from the live catalog, tell whether the effect is
 * visible: the live catalog shows the change applied.
 */
import { displayName, type Catalog, type TypeRef } from '../inspector/index.js';
import type { Effect } from './types.js';

/** Display names of every relation (table, view, sequence, index) and every column. */
export function objectsOf(catalog: Catalog): Set<string> {
  const out = new Set<string>();
  for (const [schema, s] of Object.entries(catalog.schemas)) {
    for (const [name, table] of Object.entries(s.tables)) {
      out.add(displayName({ schema, name }));
      for (const column of Object.keys(table.columns)) out.add(displayName({ schema, name }, column));
    }
    for (const kind of [s.views, s.sequences, s.indexes]) for (const name of Object.keys(kind)) out.add(displayName({ schema, name }));
  }
  return out;
}

function typeKey(t: TypeRef): string {
  return `${t.schema}.${t.name}(${t.mods.join(',')})${'[]'.repeat(t.arrayDims)}`;
}

function columnTypes(catalog: Catalog): Map<string, string> {
  const out = new Map<string, string>();
  for (const [schema, s] of Object.entries(catalog.schemas)) {
    for (const [name, table] of Object.entries(s.tables)) {
      for (const [column, c] of Object.entries(table.columns)) out.set(displayName({ schema, name }, column), typeKey(c.type));
    }
  }
  return out;
}

/** The parent of a column's display name (`public.t.c` → `public.t`), or null for a relation. */
function parentOf(name: string, all: ReadonlySet<string>): string | null {
  for (let i = name.lastIndexOf('.'); i > 0; i = name.lastIndexOf('.', i - 1)) {
    const head = name.slice(0, i);
    if (all.has(head)) return head;
  }
  return null;
}

export function effectOf(before: Catalog, after: Catalog): Effect {
  const a = objectsOf(before);
  const b = objectsOf(after);
  // A removed table takes its columns along: name the table only.
  const removed = [...a].filter((n) => !b.has(n)).filter((n) => {
    const parent = parentOf(n, a);
    return parent === null || b.has(parent);
  });
  const created = [...b].filter((n) => !a.has(n)).filter((n) => {
    const parent = parentOf(n, b);
    return parent === null || a.has(parent);
  });
  const ta = columnTypes(before);
  const tb = columnTypes(after);
  const changed = [...tb].filter(([n, t]) => ta.has(n) && ta.get(n) !== t).map(([n]) => n);
  return { created: created.sort(), removed: removed.sort(), changed: changed.sort() };
}

export function isEmptyEffect(e: Effect): boolean {
  return e.created.length === 0 && e.removed.length === 0 && e.changed.length === 0;
}

/** True when the live catalog shows every creation and every removal (a shape-less effect is never visible). */
export function effectVisible(e: Effect, live: ReadonlySet<string>): boolean {
  if (e.created.length === 0 && e.removed.length === 0) return false;
  return e.created.every((n) => live.has(n)) && e.removed.every((n) => !live.has(n));
}

/** Does reading `read` touch `object`? A table's removal touches its columns. */
export function touches(read: string, object: string): boolean {
  return read === object || read.startsWith(object + '.') || object.startsWith(read + '.');
}
