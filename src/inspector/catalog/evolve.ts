/**
 * Applies a statement's changes to the catalog, so the next statement is judged against the
 * database as it will be by then. Only DDL changes the catalog; everything else passes through.
 */
import type { Change, ChangeOf, ConstraintSpec } from '../model/changes.js';
import { columnsOfType, dependentViews, referencingForeignKeys } from './dependents.js';
import type { CatalogDraft } from './draft.js';
import { sameName } from './names.js';
import { entry, keys, newRec } from './records.js';
import type { ColumnEntry, ConstraintEntry, QName, TableEntry } from './types.js';

function addConstraint(constraints: Record<string, ConstraintEntry>, columns: Record<string, ColumnEntry>, spec: ConstraintSpec): void {
  constraints[spec.name ?? `constraint_${keys(constraints).length + 1}`] = spec.entry;
  if (spec.entry.kind === 'p') {
    for (const c of spec.entry.columns) {
      const col = entry(columns, c);
      if (col) columns[c] = { ...col, notNull: true };
    }
  }
}

function createTable(draft: CatalogDraft, c: ChangeOf<'create-table'>): void {
  if (entry(entry(draft.catalog.schemas, c.table.q.schema)?.tables, c.table.q.name)) return;
  const columns = newRec<ColumnEntry>();
  const constraints = newRec<ConstraintEntry>();
  for (const col of c.columns) columns[col.name] = col.entry;
  for (const spec of [...c.constraints, ...c.columns.flatMap((col) => col.inlineConstraints)]) addConstraint(constraints, columns, spec);
  const table: TableEntry = { columns, constraints, persistence: c.persistence, ...(c.columnsKnown ? {} : { columnsUnknown: true }) };
  draft.put(c.table.q, 'tables', table);
}

/** Removes a table or view and what CASCADE takes with it: dependent views, foreign keys, indexes, owned sequences. */
function dropRelation(draft: CatalogDraft, q: QName): void {
  const catalog = draft.catalog;
  for (const view of dependentViews(catalog, q)) draft.put(view, 'views', undefined);
  for (const fk of referencingForeignKeys(catalog, q)) delete draft.writableTable(fk.table)?.constraints[fk.constraint];
  for (const schema of keys(catalog.schemas)) {
    const s = entry(catalog.schemas, schema)!;
    for (const name of keys(s.indexes)) if (sameName(s.indexes[name]!.table, q)) draft.put({ schema, name }, 'indexes', undefined);
    for (const name of keys(s.sequences)) {
      const owner = s.sequences[name]!.ownedBy;
      if (owner && sameName(owner.table, q)) draft.put({ schema, name }, 'sequences', undefined);
    }
  }
  draft.put(q, 'tables', undefined);
  draft.put(q, 'views', undefined);
}

function dropColumn(draft: CatalogDraft, table: QName, column: string): void {
  const t = draft.writableTable(table);
  if (!t) return;
  delete t.columns[column];
  for (const name of keys(t.constraints)) if (t.constraints[name]!.columns.includes(column)) delete t.constraints[name];
  const indexes = entry(draft.catalog.schemas, table.schema)?.indexes;
  const gone: string[] = [];
  for (const name in indexes) {
    const ix = indexes[name]!;
    if (ix.columns.includes(column) && sameName(ix.table, table)) gone.push(name);
  }
  for (const name of gone) draft.put({ schema: table.schema, name }, 'indexes', undefined);
}

function updateColumn(draft: CatalogDraft, table: QName, column: string, patch: Partial<ColumnEntry>): void {
  const t = draft.writableTable(table);
  const col = t && entry(t.columns, column);
  if (t && col) t.columns[column] = { ...col, ...patch };
}

function renameColumn(draft: CatalogDraft, table: QName, from: string, to: string): void {
  const t = draft.writableTable(table);
  if (!t || !entry(t.columns, from)) return;
  const columns = newRec<ColumnEntry>();
  for (const name of keys(t.columns)) columns[name === from ? to : name] = t.columns[name]!;
  t.columns = columns;
  for (const name of keys(t.constraints)) {
    const con = t.constraints[name]!;
    if (con.columns.includes(from)) t.constraints[name] = { ...con, columns: con.columns.map((c) => (c === from ? to : c)) };
  }
}

const RELATION_PARTS = ['tables', 'views', 'sequences', 'indexes'] as const;

function moveRelation(draft: CatalogDraft, from: QName, to: QName): void {
  for (const part of RELATION_PARTS) {
    const value = entry(entry(draft.catalog.schemas, from.schema)?.[part], from.name);
    if (value === undefined) continue;
    draft.put(from, part, undefined);
    draft.put(to, part, value as never);
  }
}

function dropType(draft: CatalogDraft, c: ChangeOf<'drop-type'>): void {
  if (c.cascade) for (const col of columnsOfType(draft.catalog, c.type.q)) dropColumn(draft, col.table, col.column);
  draft.put(c.type.q, 'types', undefined);
}

function dropSchema(draft: CatalogDraft, c: ChangeOf<'drop-schema'>): void {
  const schema = entry(draft.catalog.schemas, c.schema);
  if (!schema) return;
  const empty = RELATION_PARTS.every((p) => keys(schema[p]).length === 0);
  if (!c.cascade && !empty) return; // PostgreSQL refuses: nothing changes.
  for (const name of keys(schema.tables)) dropRelation(draft, { schema: c.schema, name });
  draft.dropSchema(c.schema);
}

/** Changes that create or drop whole objects. Returns false for other changes. */
function applyObjectChange(draft: CatalogDraft, c: Change): boolean {
  switch (c.op) {
    case 'create-schema': draft.writableSchema(c.schema); break;
    case 'create-table': createTable(draft, c); break;
    case 'create-view': draft.put(c.view.q, 'views', { materialized: c.materialized, dependsOn: c.dependsOn }); break;
    case 'create-index':
      draft.put(c.index ?? { schema: c.table.q.schema, name: `${c.table.q.name}_${c.columns.join('_')}_idx` }, 'indexes', { table: c.table.q, unique: c.unique, columns: c.columns });
      break;
    case 'create-sequence': {
      const existing = entry(entry(draft.catalog.schemas, c.sequence.schema)?.sequences, c.sequence.name);
      draft.put(c.sequence, 'sequences', { ...existing, ...(c.ownedBy ? { ownedBy: c.ownedBy } : {}) });
      break;
    }
    case 'create-type': draft.put(c.type, 'types', c.entry); break;
    case 'create-routine': draft.put(c.routine, 'routines', c.entry); break;
    case 'drop-table': dropRelation(draft, c.table.q); break;
    case 'drop-index': draft.put(c.index, 'indexes', undefined); break;
    case 'drop-sequence': draft.put(c.sequence.q, 'sequences', undefined); break;
    case 'drop-type': dropType(draft, c); break;
    case 'drop-schema': dropSchema(draft, c); break;
    case 'drop-routine': draft.put(c.routine, 'routines', undefined); break;
    case 'rename-relation': moveRelation(draft, c.relation.q, { schema: c.relation.q.schema, name: c.to }); break;
    case 'set-schema': moveRelation(draft, c.relation.q, { schema: c.to, name: c.relation.q.name }); break;
    case 'rename-schema': draft.renameSchema(c.from, c.to); break;
    default: return false;
  }
  return true;
}

function addColumn(draft: CatalogDraft, c: ChangeOf<'add-column'>): void {
  const t = draft.writableTable(c.table.q);
  if (!t || entry(t.columns, c.column.name)) return;
  t.columns[c.column.name] = c.column.entry;
  for (const spec of c.column.inlineConstraints) addConstraint(t.constraints, t.columns, spec);
}

function validateConstraint(draft: CatalogDraft, c: ChangeOf<'validate-constraint'>): void {
  const t = draft.writableTable(c.table.q);
  const con = t && entry(t.constraints, c.name);
  if (t && con) t.constraints[c.name] = { ...con, validated: true };
}

/** Applies one change. Changes that do not touch the catalog are ignored. */
export function applyChange(draft: CatalogDraft, c: Change): void {
  if (applyObjectChange(draft, c)) return;
  switch (c.op) {
    case 'add-column': addColumn(draft, c); break;
    case 'drop-column': dropColumn(draft, c.table.q, c.column); break;
    case 'alter-column-type': updateColumn(draft, c.table.q, c.column, { type: c.to }); break;
    case 'set-not-null': updateColumn(draft, c.table.q, c.column, { notNull: true }); break;
    case 'drop-not-null': updateColumn(draft, c.table.q, c.column, { notNull: false }); break;
    case 'set-default': updateColumn(draft, c.table.q, c.column, { hasDefault: c.hasDefault }); break;
    case 'add-constraint': {
      const t = draft.writableTable(c.table.q);
      if (t) addConstraint(t.constraints, t.columns, c.constraint);
      break;
    }
    case 'drop-constraint': delete draft.writableTable(c.table.q)?.constraints[c.name]; break;
    case 'validate-constraint': validateConstraint(draft, c); break;
    case 'rename-column': renameColumn(draft, c.table.q, c.from, c.to); break;
    default: break;
  }
}
