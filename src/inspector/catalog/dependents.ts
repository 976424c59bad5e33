/**
 * What depends on what: the views built on a relation, the foreign keys that point at a table,
 * the columns of a type. This is what CASCADE reaches.
 */
import { displayName, sameName } from './names.js';
import { entry, keys } from './records.js';
import type { Catalog, QName } from './types.js';

/** Views (and materialized views) that read `q`, directly or through other views. */
export function dependentViews(catalog: Catalog, q: QName): QName[] {
  const out: QName[] = [];
  const seen = new Set<string>([displayName(q)]);
  const queue: QName[] = [q];
  while (queue.length > 0) {
    const target = queue.shift()!;
    for (const schema of keys(catalog.schemas)) {
      const views = entry(catalog.schemas, schema)!.views;
      for (const name of keys(views)) {
        const view = { schema, name };
        if (seen.has(displayName(view))) continue;
        if (views[name]!.dependsOn.some((dep) => sameName(dep, target))) {
          seen.add(displayName(view));
          out.push(view);
          queue.push(view);
        }
      }
    }
  }
  return out;
}

export interface ForeignKeyRef {
  readonly table: QName;
  readonly constraint: string;
  readonly columns: readonly string[];
}

/** Foreign keys on other tables that reference `q`. */
export function referencingForeignKeys(catalog: Catalog, q: QName): ForeignKeyRef[] {
  const out: ForeignKeyRef[] = [];
  for (const schema of keys(catalog.schemas)) {
    const tables = entry(catalog.schemas, schema)!.tables;
    for (const name of keys(tables)) {
      if (schema === q.schema && name === q.name) continue;
      const constraints = tables[name]!.constraints;
      for (const con of keys(constraints)) {
        const c = constraints[con]!;
        if (c.kind === 'f' && c.references && sameName(c.references.table, q)) out.push({ table: { schema, name }, constraint: con, columns: c.columns });
      }
    }
  }
  return out;
}

/** Tables TRUNCATE … CASCADE empties along with `start`: every table that references one of them. */
export function truncateReach(catalog: Catalog, start: readonly QName[]): QName[] {
  const seen = new Set(start.map((q) => displayName(q)));
  const out: QName[] = [];
  const queue = [...start];
  while (queue.length > 0) {
    for (const fk of referencingForeignKeys(catalog, queue.shift()!)) {
      const key = displayName(fk.table);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(fk.table);
      queue.push(fk.table);
    }
  }
  return out;
}

/** Columns whose type is `type` (or an array of it, or a domain over it). */
export function columnsOfType(catalog: Catalog, type: QName): { table: QName; column: string }[] {
  const out: { table: QName; column: string }[] = [];
  const matches = (t: { schema: string; name: string }) => t.schema === type.schema && t.name === type.name;
  const domains = new Set<string>();
  for (const schema of keys(catalog.schemas)) {
    const types = entry(catalog.schemas, schema)!.types;
    for (const name of keys(types)) {
      const base = types[name]!.baseType;
      if (base && matches(base)) domains.add(displayName({ schema, name }));
    }
  }
  for (const schema of keys(catalog.schemas)) {
    const tables = entry(catalog.schemas, schema)!.tables;
    for (const name of keys(tables)) {
      for (const column of keys(tables[name]!.columns)) {
        const t = tables[name]!.columns[column]!.type;
        if (matches(t) || domains.has(displayName({ schema: t.schema, name: t.name }))) out.push({ table: { schema, name }, column });
      }
    }
  }
  return out;
}
