/**
 * The catalog: what exists in the database, as plain data any source can fill (a schema file
 * today, the live database later). Names are stored exactly as PostgreSQL stores them (unquoted
 * identifiers already folded to lower case). Records are keyed by name; read them with `entry()`
 * from ./records.js, never with a bare index, so that a table called "constructor" stays a table.
 * Everything here survives JSON.stringify / JSON.parse unchanged.
 */

export interface Catalog {
  /**
   * `complete`: every object that exists is listed, so an unknown object does not exist (a schema
   * file, the live database). `partial`: unknown objects may exist (lint without --schema).
   */
  readonly completeness: 'complete' | 'partial';
  readonly schemas: Readonly<Record<string, SchemaEntry>>;
}

export interface SchemaEntry {
  readonly tables: Readonly<Record<string, TableEntry>>;
  readonly views: Readonly<Record<string, ViewEntry>>;
  readonly sequences: Readonly<Record<string, SequenceEntry>>;
  readonly indexes: Readonly<Record<string, IndexEntry>>;
  readonly types: Readonly<Record<string, TypeEntry>>;
  readonly routines: Readonly<Record<string, RoutineEntry>>;
}

/** A schema-qualified name. */
export interface QName {
  readonly schema: string;
  readonly name: string;
}

export interface TableEntry {
  /** In column order. */
  readonly columns: Readonly<Record<string, ColumnEntry>>;
  readonly constraints: Readonly<Record<string, ConstraintEntry>>;
  readonly persistence: 'permanent' | 'unlogged' | 'temporary';
  readonly partitioned?: boolean;
  /** True when the columns are not known (CREATE TABLE AS, or a LIKE of an unknown table): any column may exist. */
  readonly columnsUnknown?: boolean;
  /** Estimated rows, when the source knows (the live database). */
  readonly rows?: number;
}

export interface ColumnEntry {
  readonly type: TypeRef;
  readonly notNull: boolean;
  readonly hasDefault: boolean;
  readonly identity?: boolean;
  readonly generated?: boolean;
}

/** A type as PostgreSQL names it internally: `pg_catalog.numeric` with modifiers `[10, 2]`. */
export interface TypeRef {
  readonly schema: string;
  readonly name: string;
  readonly mods: readonly number[];
  /** 0 for a scalar, 1 for `int[]`, and so on. */
  readonly arrayDims: number;
}

export interface ConstraintEntry {
  /** p primary key, u unique, f foreign key, c check, x exclusion, n not null. */
  readonly kind: 'p' | 'u' | 'f' | 'c' | 'x' | 'n';
  readonly columns: readonly string[];
  readonly references?: { readonly table: QName; readonly columns: readonly string[] };
  readonly validated: boolean;
  /** For a check constraint of the form `col IS NOT NULL`: the column it proves non-null. */
  readonly provesNotNull?: string;
}

export interface ViewEntry {
  readonly materialized: boolean;
  /** Tables and views the view reads. */
  readonly dependsOn: readonly QName[];
}

export interface SequenceEntry {
  readonly ownedBy?: { readonly table: QName; readonly column: string };
}

export interface IndexEntry {
  readonly table: QName;
  readonly unique: boolean;
  readonly columns: readonly string[];
}

export interface TypeEntry {
  readonly kind: 'enum' | 'composite' | 'domain' | 'range' | 'other';
  readonly values?: readonly string[];
  readonly baseType?: TypeRef;
}

export interface RoutineEntry {
  readonly kind: 'function' | 'procedure';
  readonly language: string;
  /** The body as written (the text between the quotes), or null for BEGIN ATOMIC and C functions. */
  readonly body: string | null;
  /** Parameter names in order; '' for an unnamed parameter. */
  readonly params: readonly string[];
  readonly volatility: 'volatile' | 'stable' | 'immutable';
  /** What it returns, which the PL/pgSQL parser needs to accept RETURN statements. */
  readonly returns?: 'void' | 'value' | 'set' | 'trigger';
  /** A BEGIN ATOMIC body: its statements as parse-tree nodes. */
  readonly atomicBody?: readonly unknown[];
}

export const EMPTY_SCHEMA: SchemaEntry = Object.freeze({
  tables: Object.freeze({}),
  views: Object.freeze({}),
  sequences: Object.freeze({}),
  indexes: Object.freeze({}),
  types: Object.freeze({}),
  routines: Object.freeze({}),
});

/** An empty catalog with the `public` schema. `partial` when nothing is known about the database. */
export function emptyCatalog(completeness: Catalog['completeness'] = 'partial'): Catalog {
  return { completeness, schemas: { public: EMPTY_SCHEMA } };
}
