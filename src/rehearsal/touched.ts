/**
 * The tables a change's migrations touch: every relation a statement reads, writes, alters,
 * creates or drops, as the inspector names them, kept when it is a table before or after. Pure.
 */
import { displayName, lintText, type Catalog, type InspectorState } from '../inspector/index.js';
import { splitDisplayName } from './names.js';

export interface TouchedTables {
  /** Touched tables that exist before the migrations run (display names, sorted). */
  existing: string[];
  /** Touched tables the migrations create (they do not exist before). */
  created: string[];
}

function isTable(catalog: Catalog, schema: string, name: string): boolean {
  return Object.hasOwn(catalog.schemas, schema) && Object.hasOwn(catalog.schemas[schema]!.tables, name);
}

export function touchedTables(migrations: ReadonlyArray<{ sql: string }>, catalog: Catalog): TouchedTables {
  const candidates = new Set<string>();
  let previous: InspectorState | undefined;
  let final: Catalog = catalog;
  for (const m of migrations) {
    const result = lintText(m.sql, previous ? { previous } : { catalog });
    previous = result.state;
    final = result.state.catalog;
    for (const s of result.statements) for (const o of s.objects) candidates.add(o);
    for (const f of result.findings) for (const o of [...f.objects, ...(f.cascade ?? [])]) candidates.add(o);
  }
  const existing = new Set<string>();
  const created = new Set<string>();
  for (const object of candidates) {
    const parts = splitDisplayName(object);
    if (parts.length < 2) continue;
    const [schema, name] = parts as [string, string];
    const display = displayName({ schema, name });
    if (isTable(catalog, schema, name)) existing.add(display);
    else if (isTable(final, schema, name)) created.add(display);
  }
  return { existing: [...existing].sort(), created: [...created].sort() };
}
