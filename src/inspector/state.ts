/**
 * What carries over from one `inspect` call to the next: the session's search_path and
 * lock_timeout, its open transaction (with snapshots to go back to on ROLLBACK), prepared
 * statements, the evolved catalog, and the migration memory that connects a DROP to a later ADD.
 * All plain data: JSON.stringify(state) and JSON.parse give back a state that works the same.
 */
import { DEFAULT_SEARCH_PATH } from './catalog/names.js';
import { emptyCatalog, type Catalog, type QName, type TypeRef } from './catalog/types.js';
import type { AnyNode } from './model/nodes.js';

export interface DroppedColumn {
  readonly table: QName;
  /** The table as the DROP wrote it. */
  readonly written: string;
  readonly column: string;
  readonly type: TypeRef | null;
  /** The inspect call and statement that dropped it. */
  readonly call: number;
  readonly statement: number;
}

export interface DroppedTable {
  readonly table: QName;
  readonly written: string;
  readonly call: number;
  readonly statement: number;
}

/**
 * The current migration: a whole file for lint; for the proxy, an explicit transaction or one
 * multi-statement query. Dropping what the migration itself created destroys nothing.
 */
export interface MigrationMemory {
  /** Tables and columns created in this migration, as display names (`public.t`, `public.t.c`). */
  readonly created: readonly string[];
  /** Columns and tables dropped in this migration and not yet matched by a re-creation. */
  readonly droppedColumns: readonly DroppedColumn[];
  readonly droppedTables: readonly DroppedTable[];
  /** Keys of once-per-migration findings already reported (e.g. missing-lock-timeout). */
  readonly reported: readonly string[];
}

export interface Snapshot {
  readonly catalog: Catalog;
  readonly searchPath: readonly string[];
  readonly migration: MigrationMemory;
}

export interface TransactionState {
  /** Where ROLLBACK goes back to. */
  readonly begin: Snapshot;
  readonly savepoints: readonly { readonly name: string; readonly snapshot: Snapshot }[];
  /** SET LOCAL lock_timeout in this transaction. */
  readonly localLockTimeout: boolean;
}

export interface PreparedStatement {
  /** The statement's parse tree (a node wrapper such as `{ DeleteStmt: … }`). */
  readonly query: AnyNode;
}

export interface InspectorState {
  readonly version: 1;
  readonly catalog: Catalog;
  readonly searchPath: readonly string[];
  /** A non-zero session lock_timeout was set. */
  readonly lockTimeout: boolean;
  readonly transaction: TransactionState | null;
  readonly prepared: Readonly<Record<string, PreparedStatement>>;
  readonly migration: MigrationMemory;
  /** Counts inspect calls, so a finding can tell whether an earlier DROP was reported in this call. */
  readonly calls: number;
}

export const EMPTY_MIGRATION: MigrationMemory = Object.freeze({ created: [], droppedColumns: [], droppedTables: [], reported: [] });

/** A fresh session: default search_path, no transaction, starting from `catalog` (partial and empty if none). */
export function initialState(catalog: Catalog = emptyCatalog()): InspectorState {
  return { version: 1, catalog, searchPath: DEFAULT_SEARCH_PATH, lockTimeout: false, transaction: null, prepared: {}, migration: EMPTY_MIGRATION, calls: 0 };
}

/** The same session, starting a new migration: lint's consecutive files keep the catalog but not the memory. */
export function nextMigration(state: InspectorState): InspectorState {
  return { ...state, migration: EMPTY_MIGRATION, transaction: null, searchPath: DEFAULT_SEARCH_PATH, lockTimeout: false, prepared: {} };
}
