/** The inspector's results: per-statement facts and findings. */
import type { Catalog } from './catalog/types.js';
import type { LockMode } from './model/locks.js';
import type { Severity } from './rules/types.js';
import type { InspectorState } from './state.js';

export type { Severity, LockMode };

/** Where something is in the inspected text: character offsets, and 1-based lines and columns. */
export interface Span {
  readonly offset: number;
  readonly length: number;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface Finding extends Span {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  /** 1-based index of the statement in the inspected text. */
  readonly statement: number;
  /** Every schema.table or schema.table.column the finding is about (display names, quoted where needed). */
  readonly objects: readonly string[];
  /** Set by lint when a `-- tripwire:allow` directive covers the finding. */
  readonly suppressed: boolean;
  /** The safe way to do it. */
  readonly suggestion: string;
  /** The destructive action in SQL words, e.g. `ALTER TABLE customers DROP COLUMN phone`. */
  readonly action?: string;
  /** Objects CASCADE takes along. */
  readonly cascade?: readonly string[];
  /** When the statement is hidden: `DO block`, `function public.f`, `prepared statement p`, `EXECUTE in DO block`. */
  readonly via?: string;
  /** The reason given by the directive that suppressed it. */
  readonly suppression?: { readonly reason: string; readonly line: number };
}

export interface StatementFacts extends Span {
  /** 1-based, counting every statement in the text (including ones with syntax errors). */
  readonly index: number;
  /** The command: `ALTER TABLE`, `DROP INDEX`, `SELECT`, or `(syntax error)`. */
  readonly kind: string;
  /** Relations and columns touched, as display names. */
  readonly objects: readonly string[];
  /** The strongest table lock it takes, or null. */
  readonly lock: LockMode | null;
  readonly locks: readonly { readonly object: string; readonly mode: LockMode }[];
  readonly rewritesTable: boolean;
  /** False for statements PostgreSQL refuses inside a transaction block (CREATE INDEX CONCURRENTLY, VACUUM, …). */
  readonly transactional: boolean;
  /** The statement runs inside a transaction block, explicit or implicit. */
  readonly inTransaction: boolean;
}

export interface InspectResult {
  readonly statements: readonly StatementFacts[];
  readonly findings: readonly Finding[];
  /** The state after the text, to pass to the next call of the same session. */
  readonly state: InspectorState;
}

export interface InspectOptions {
  /** The starting catalog, used when no state is given. Defaults to an empty, partial catalog. */
  readonly catalog?: Catalog;
  /** The session state from the previous call. */
  readonly state?: InspectorState;
  /**
   * `query` (default): the text is one simple-protocol Query, so several statements form an
   * implicit transaction, and migration memory ends with the call unless a transaction is open.
   * `file`: the text is a migration file run statement by statement (as psql -f does); the
   * migration memory lasts for the whole text and across calls with the same state.
   */
  readonly mode?: 'query' | 'file';
}
