/**
 * Evolves a catalog without touching the one it started from. The first write to a record copies
 * it and every record above it; later writes in the same draft reuse the copy, so a migration of
 * ten thousand statements copies each record it touches once, not once per statement. A snapshot
 * (BEGIN, SAVEPOINT) ends ownership, so the snapshot stays as it was while the draft moves on.
 */
import { copyRec, entry, type Rec } from './records.js';
import type { Catalog, QName, SchemaEntry, TableEntry } from './types.js';
import { EMPTY_SCHEMA } from './types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type SchemaPart = keyof SchemaEntry;

export class CatalogDraft {
  private owned = new WeakSet<object>();
  private current: Catalog;

  constructor(base: Catalog) {
    this.current = base;
  }

  get catalog(): Catalog {
    return this.current;
  }

  /** The catalog as it is now, kept safe from later writes. */
  snapshot(): Catalog {
    this.owned = new WeakSet();
    return this.current;
  }

  /** Go back to a snapshot (ROLLBACK). */
  restore(catalog: Catalog): void {
    this.owned = new WeakSet();
    this.current = catalog;
  }

  private own<T extends object>(value: T, copy: (v: T) => T): T {
    if (this.owned.has(value)) return value;
    const c = copy(value);
    this.owned.add(c);
    return c;
  }

  private writableRoot(): { completeness: Catalog['completeness']; schemas: Record<string, SchemaEntry> } {
    if (!this.owned.has(this.current)) {
      const schemas = copyRec(this.current.schemas);
      const root = { completeness: this.current.completeness, schemas };
      this.owned.add(root);
      this.owned.add(schemas);
      this.current = root;
    }
    return this.current as { completeness: Catalog['completeness']; schemas: Record<string, SchemaEntry> };
  }

  /** A writable schema, created when missing. */
  writableSchema(name: string): Mutable<SchemaEntry> {
    const root = this.writableRoot();
    const existing = entry(root.schemas, name) ?? EMPTY_SCHEMA;
    const schema = this.own(existing, (s) => ({ ...s })) as Mutable<SchemaEntry>;
    root.schemas[name] = schema;
    return schema;
  }

  /** A writable part (tables, views, …) of a schema, created when missing. */
  part<P extends SchemaPart>(schemaName: string, part: P): Record<string, SchemaEntry[P][string]> {
    const schema = this.writableSchema(schemaName);
    const rec = this.own(schema[part] as Rec<unknown>, (r) => copyRec(r)) as Record<string, SchemaEntry[P][string]>;
    (schema as Record<string, unknown>)[part] = rec;
    return rec;
  }

  /** Sets (or with `undefined`, removes) one named entry of a schema part. */
  put<P extends SchemaPart>(q: QName, part: P, value: SchemaEntry[P][string] | undefined): void {
    const rec = this.part(q.schema, part);
    if (value === undefined) delete rec[q.name];
    else rec[q.name] = value;
  }

  /** A writable table whose column and constraint records are writable too. */
  writableTable(q: QName): Mutable<TableEntry> & { columns: Record<string, TableEntry['columns'][string]>; constraints: Record<string, TableEntry['constraints'][string]> } | undefined {
    const tables = this.part(q.schema, 'tables');
    const table = entry(tables, q.name);
    if (!table) return undefined;
    const copy = this.own(table, (t) => ({ ...t, columns: copyRec(t.columns), constraints: copyRec(t.constraints) })) as Mutable<TableEntry>;
    tables[q.name] = copy;
    return copy as never;
  }

  dropSchema(name: string): void {
    const root = this.writableRoot();
    delete root.schemas[name];
  }

  renameSchema(from: string, to: string): void {
    const root = this.writableRoot();
    const schema = entry(root.schemas, from);
    if (!schema) return;
    delete root.schemas[from];
    root.schemas[to] = schema;
  }
}
