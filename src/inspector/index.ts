/**
 * The inspector: reads SQL with PostgreSQL's own parser and says what each statement would
 * destroy or endanger. Pure: no I/O. See README.md in this directory for the API.
 */
export { loadInspector, isInspectorLoaded } from './parse/wasm.js';
export { inspect } from './engine/inspect.js';
export { initialState, nextMigration, EMPTY_MIGRATION } from './state.js';
export type { InspectorState, MigrationMemory, TransactionState, Snapshot, PreparedStatement, DroppedColumn, DroppedTable } from './state.js';
export type { InspectOptions, InspectResult, Finding, StatementFacts, Span, Severity, LockMode } from './types.js';
export type { Catalog, SchemaEntry, TableEntry, ColumnEntry, ConstraintEntry, ViewEntry, IndexEntry, SequenceEntry, TypeEntry, RoutineEntry, QName, TypeRef } from './catalog/types.js';
export { emptyCatalog } from './catalog/types.js';
export { displayName, quoteIdent } from './catalog/names.js';
export { RULES, RULES_BY_ID, isRuleId, ruleCatalogue } from './rules/registry.js';
export type { RuleMeta, RuleCategory } from './rules/types.js';
export { lintText, catalogFromSql } from './lint.js';
export type { LintOptions, LintResult, SchemaResult } from './lint.js';
export { applySuppressions } from './suppressions.js';
