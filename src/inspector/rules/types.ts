/** What a rule is, and what it may see and do while a statement is judged. */
import type { Existence } from '../catalog/names.js';
import type { Catalog, QName } from '../catalog/types.js';
import type { Change, ChangeOp } from '../model/changes.js';
import type { Description } from '../model/describer.js';
import type { DroppedColumn, DroppedTable, MigrationMemory } from '../state.js';

export type Severity = 'block' | 'warn' | 'info';

/**
 * data-loss: destroys data that exists. hidden-sql: SQL tripwire cannot see. downtime: breaks
 * running code or blocks it (locks, rewrites). input: the text itself (syntax, psql commands).
 * directive: lint's own `-- tripwire:allow` bookkeeping.
 */
export type RuleCategory = 'data-loss' | 'hidden-sql' | 'downtime' | 'input' | 'directive';

export interface RuleMeta {
  readonly id: string;
  readonly severity: Severity;
  readonly category: RuleCategory;
  /** One line: what the rule catches. */
  readonly summary: string;
}

export interface Rule extends RuleMeta {
  /** The change kinds `checkChange` wants; the engine calls it only for these. */
  readonly ops?: readonly ChangeOp[];
  checkChange?(change: Change, ctx: RuleContext): void;
  /** Called once per statement, before its changes. */
  checkStatement?(ctx: RuleContext): void;
}

export interface Report {
  /** Every schema.table or schema.table.column the finding is about, as display names. */
  readonly objects: readonly string[];
  /** The consequence, naming the objects. */
  readonly message: string;
  /** The safe way. */
  readonly suggestion: string;
  /** The destructive action in SQL words, e.g. `ALTER TABLE customers DROP COLUMN phone`. */
  readonly action?: string;
  /** Objects CASCADE takes along (views, foreign keys, other tables' rows). */
  readonly cascade?: readonly string[];
  /** A byte location in the statement's parse text that pins the finding more precisely. */
  readonly location?: number;
  /** Replace this earlier finding of the same call instead of adding a new one (rename-as-drop replaces drop-column). */
  readonly supersedes?: { readonly rule: string; readonly object: string; readonly call: number };
}

export interface RuleContext {
  /** The catalog as it stands right before this change. */
  readonly catalog: Catalog;
  readonly statement: Description;
  /** The statement runs inside a transaction block (explicit, or an implicit multi-statement one). */
  readonly inTransaction: boolean;
  /** A lock_timeout is in force (SET or SET LOCAL earlier). */
  readonly lockTimeoutSet: boolean;
  readonly migration: MigrationMemory;
  readonly call: number;
  /** True when this statement was created or added in the current migration. */
  isNew(q: QName, column?: string): boolean;
  /** Whether a relation exists (yes, no, unknown with a partial catalog). */
  exists(q: QName): Existence;
  /** True the first time it is asked for `key` in this migration. */
  once(key: string): boolean;
  /** Marks a dropped column as re-created, so it matches only one ADD. */
  claimColumn(d: DroppedColumn): void;
  claimTable(d: DroppedTable): void;
  report(r: Report): void;
}
