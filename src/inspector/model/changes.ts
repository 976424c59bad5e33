/**
 * The statement model: what one statement does, with every name resolved. Describing a statement
 * turns its parse tree into these changes once; the rules read them, the facts are derived from
 * them, and the catalog evolves by applying them.
 */
import type { Existence } from '../catalog/names.js';
import type { ColumnEntry, ConstraintEntry, QName, RoutineEntry, TypeEntry, TypeRef } from '../catalog/types.js';
import type { AnyNode } from './nodes.js';

/** A column as a statement defines it (CREATE TABLE, ADD COLUMN). */
export interface ColumnSpec {
  readonly name: string;
  readonly entry: ColumnEntry;
  /** The DEFAULT expression, if any. */
  readonly defaultExpr?: AnyNode;
  /** Why filling the column for existing rows rewrites the table (a volatile default, identity, serial, stored generation). */
  readonly rewriteReason?: string;
  /** Inline constraints that build something over existing rows: unique, primary key, references, check. */
  readonly inlineConstraints: readonly ConstraintSpec[];
}

export interface ConstraintSpec {
  readonly name: string | null;
  readonly entry: ConstraintEntry;
  /** NOT VALID was given (foreign keys and checks). */
  readonly notValid: boolean;
  /** UNIQUE/PRIMARY KEY … USING INDEX: no index build. */
  readonly usingIndex: boolean;
}

/** The relation a statement names, as written and as resolved. */
export interface Target {
  readonly q: QName;
  /** As written in the SQL: `customers`, `billing.invoices`. */
  readonly written: string;
  readonly exists: Existence;
}

export type Change =
  | { readonly op: 'create-schema'; readonly schema: string }
  | { readonly op: 'create-table'; readonly table: Target; readonly columns: readonly ColumnSpec[]; readonly constraints: readonly ConstraintSpec[]; readonly persistence: 'permanent' | 'unlogged' | 'temporary'; readonly columnsKnown: boolean }
  | { readonly op: 'create-view'; readonly view: Target; readonly materialized: boolean; readonly dependsOn: readonly QName[] }
  | { readonly op: 'create-index'; readonly index: QName | null; readonly table: Target; readonly concurrent: boolean; readonly unique: boolean; readonly columns: readonly string[] }
  | { readonly op: 'create-sequence'; readonly sequence: QName; readonly ownedBy?: { table: QName; column: string } }
  | { readonly op: 'create-type'; readonly type: QName; readonly entry: TypeEntry }
  | { readonly op: 'create-routine'; readonly routine: QName; readonly entry: RoutineEntry; readonly node: AnyNode }
  | { readonly op: 'drop-table'; readonly table: Target; readonly cascade: boolean; readonly kind: 'table' | 'view' | 'materialized view' | 'foreign table' }
  | { readonly op: 'drop-index'; readonly index: QName; readonly table: QName | null; readonly exists: Existence; readonly concurrent: boolean }
  | { readonly op: 'drop-sequence'; readonly sequence: Target }
  | { readonly op: 'drop-type'; readonly type: Target; readonly cascade: boolean }
  | { readonly op: 'drop-schema'; readonly schema: string; readonly exists: Existence; readonly cascade: boolean }
  | { readonly op: 'drop-database'; readonly database: string }
  | { readonly op: 'drop-owned'; readonly roles: readonly string[] }
  | { readonly op: 'drop-routine'; readonly routine: QName }
  | { readonly op: 'add-column'; readonly table: Target; readonly column: ColumnSpec }
  | { readonly op: 'drop-column'; readonly table: Target; readonly column: string; readonly exists: Existence; readonly type: TypeRef | null; readonly cascade: boolean }
  | { readonly op: 'alter-column-type'; readonly table: Target; readonly column: string; readonly from: TypeRef | null; readonly to: TypeRef; readonly using: AnyNode | null }
  | { readonly op: 'set-not-null'; readonly table: Target; readonly column: string }
  | { readonly op: 'drop-not-null'; readonly table: Target; readonly column: string }
  | { readonly op: 'set-default'; readonly table: Target; readonly column: string; readonly hasDefault: boolean }
  | { readonly op: 'add-constraint'; readonly table: Target; readonly constraint: ConstraintSpec }
  | { readonly op: 'drop-constraint'; readonly table: Target; readonly name: string }
  | { readonly op: 'validate-constraint'; readonly table: Target; readonly name: string }
  | { readonly op: 'rename-column'; readonly table: Target; readonly from: string; readonly to: string }
  | { readonly op: 'rename-relation'; readonly relation: Target; readonly kind: 'table' | 'view' | 'index' | 'sequence'; readonly to: string }
  | { readonly op: 'rename-schema'; readonly from: string; readonly to: string }
  | { readonly op: 'set-schema'; readonly relation: Target; readonly to: string }
  | { readonly op: 'truncate'; readonly tables: readonly Target[]; readonly cascade: boolean }
  /** `rowName`: what the target's columns are qualified with in the WHERE (its alias, else its name). */
  | { readonly op: 'delete'; readonly table: Target; readonly rowName: string; readonly where: AnyNode | null; readonly inCte: boolean; readonly location: number }
  | { readonly op: 'update'; readonly table: Target; readonly rowName: string; readonly where: AnyNode | null; readonly sets: readonly { column: string; value: AnyNode }[]; readonly inCte: boolean; readonly location: number }
  | { readonly op: 'vacuum-full'; readonly tables: readonly Target[] }
  | { readonly op: 'cluster'; readonly table: Target | null }
  | { readonly op: 'set'; readonly name: string; readonly values: readonly string[] | null; readonly local: boolean }
  | { readonly op: 'transaction'; readonly kind: 'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollback-to' | 'prepare'; readonly name?: string }
  | { readonly op: 'prepare'; readonly name: string; readonly query: AnyNode }
  | { readonly op: 'execute-prepared'; readonly name: string }
  | { readonly op: 'deallocate'; readonly name: string | null }
  | { readonly op: 'run-do'; readonly body: string; readonly language: string; readonly location: number }
  | { readonly op: 'call'; readonly routine: QName; readonly args: readonly AnyNode[]; readonly location: number };

export type ChangeOp = Change['op'];
export type ChangeOf<O extends ChangeOp> = Extract<Change, { op: O }>;
