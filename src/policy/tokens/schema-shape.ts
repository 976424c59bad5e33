import type { Catalog, SchemaEntry, TableEntry } from '../../inspector/index.js';

/** Constraint kinds that PostgreSQL backs with an index of the same name. */
const INDEXED_KINDS = new Set(['p', 'u', 'x']);

/**
 * What a schema fingerprint hashes: what the schema means, not how one source described it.
 * - Row estimates (`rows`) and `completeness` describe the data and the source, not the schema.
 * - Column order stays (columns become an ordered list): `(a, b)` and `(b, a)` are different
 *   tables to `INSERT … VALUES` and `SELECT *`, and a dropped and re-added column moves to the end.
 * - Objects that another object already implies are left out, because the live catalog lists them
 *   and the inspector's model of a schema file does not, and a plan signed from the file must
 *   match the live database: the index behind a primary key, unique or exclusion constraint, the
 *   sequence a column owns and draws its default from (serial, identity), and the default of an
 *   identity column.
 */
export function schemaShape(catalog: Catalog): unknown {
  const schemas: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(catalog.schemas)) schemas[name] = schemaEntryShape(schema, catalog);
  return schemas;
}

function schemaEntryShape(s: SchemaEntry, catalog: Catalog): unknown {
  const tables: Record<string, unknown> = {};
  for (const [name, table] of Object.entries(s.tables)) tables[name] = tableShape(table);
  return { ...s, tables, indexes: omit(s.indexes, (name, index) => backsConstraint(catalog, index.table, name)), sequences: omit(s.sequences, (_, seq) => seq.ownedBy !== undefined && drawsDefault(catalog, seq.ownedBy.table, seq.ownedBy.column)) };
}

function tableShape(table: TableEntry): unknown {
  const { rows: _rows, columns, ...rest } = table;
  const ordered = Object.entries(columns).map(([name, c]) => [name, c.identity ? { ...c, hasDefault: false } : c]);
  return { ...rest, columns: ordered };
}

function omit<T>(records: Readonly<Record<string, T>>, implied: (name: string, value: T) => boolean): Record<string, T> {
  return Object.fromEntries(Object.entries(records).filter(([name, value]) => !implied(name, value)));
}

function tableOf(catalog: Catalog, q: { schema: string; name: string }): TableEntry | undefined {
  const schema = Object.hasOwn(catalog.schemas, q.schema) ? catalog.schemas[q.schema] : undefined;
  return schema && Object.hasOwn(schema.tables, q.name) ? schema.tables[q.name] : undefined;
}

function backsConstraint(catalog: Catalog, table: { schema: string; name: string }, index: string): boolean {
  const constraints = tableOf(catalog, table)?.constraints;
  return constraints !== undefined && Object.hasOwn(constraints, index) && INDEXED_KINDS.has(constraints[index]!.kind);
}

function drawsDefault(catalog: Catalog, table: { schema: string; name: string }, column: string): boolean {
  const columns = tableOf(catalog, table)?.columns;
  if (!columns || !Object.hasOwn(columns, column)) return false;
  const c = columns[column]!;
  return c.hasDefault || c.identity === true;
}
