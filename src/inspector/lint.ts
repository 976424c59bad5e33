/**
 * The lint entry point: one migration file's text in, its findings out (with `-- tripwire:allow`
 * directives applied), and the state after it for the next file of a consecutive run. Pure.
 */
import { inspect } from './engine/inspect.js';
import { TextMap } from './parse/positions.js';
import { emptyCatalog, type Catalog } from './catalog/types.js';
import { initialState, nextMigration, type InspectorState } from './state.js';
import { applySuppressions } from './suppressions.js';
import type { Finding, StatementFacts } from './types.js';

export interface LintOptions {
  /** The database before this migration (from --schema). Defaults to an empty, partial catalog. */
  readonly catalog?: Catalog;
  /** The state after the previous migration of a consecutive run; its catalog wins over `catalog`. */
  readonly previous?: InspectorState;
}

export interface LintResult {
  readonly findings: readonly Finding[];
  readonly statements: readonly StatementFacts[];
  readonly state: InspectorState;
}

/** Lints one migration: the whole text is one migration, run statement by statement as psql -f would. */
export function lintText(text: string, options: LintOptions = {}): LintResult {
  const state = options.previous ? nextMigration(options.previous) : initialState(options.catalog);
  const result = inspect(text, { state, mode: 'file' });
  const findings = applySuppressions(new TextMap(text), result.statements, result.findings);
  return { findings, statements: result.statements, state: result.state };
}

export interface SchemaResult {
  readonly catalog: Catalog;
  /** The first statement that could not be parsed, if any: the schema is then unusable. */
  readonly error?: { readonly line: number; readonly message: string };
}

/**
 * Builds a catalog from SQL that creates what already exists (a pg_dump --schema-only, or a
 * hand-written schema), by applying it to an empty database. The result is complete: what it
 * does not create does not exist.
 */
export function catalogFromSql(text: string): SchemaResult {
  const result = inspect(text, { state: initialState(emptyCatalog('complete')), mode: 'file' });
  const error = result.findings.find((f) => f.rule === 'syntax-error');
  const catalog = result.state.catalog;
  return error ? { catalog, error: { line: error.line, message: error.message } } : { catalog };
}
