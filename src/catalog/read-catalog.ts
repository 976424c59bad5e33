import type pg from 'pg';
import type {
  Catalog, ColumnEntry, ConstraintEntry, IndexEntry, QName, RoutineEntry, SchemaEntry, SequenceEntry, TableEntry, TypeEntry, ViewEntry,
} from '../inspector/index.js';
import * as Q from './catalog-queries.js';
import { typeMods } from './type-mods.js';

type Queryable = Pick<pg.Client, 'query'>;

interface MutableSchema {
  tables: Record<string, TableEntry & { columns: Record<string, ColumnEntry>; constraints: Record<string, ConstraintEntry> }>;
  views: Record<string, ViewEntry>;
  sequences: Record<string, SequenceEntry>;
  indexes: Record<string, IndexEntry>;
  types: Record<string, TypeEntry>;
  routines: Record<string, RoutineEntry>;
}

/** Records with a null prototype: a table called "constructor" must stay a table. */
function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function qname(dotted: string): QName {
  const i = dotted.indexOf('.');
  return { schema: dotted.slice(0, i), name: dotted.slice(i + 1) };
}

const PERSISTENCE: Record<string, TableEntry['persistence']> = { p: 'permanent', u: 'unlogged', t: 'temporary' };
const VOLATILITY: Record<string, RoutineEntry['volatility']> = { v: 'volatile', s: 'stable', i: 'immutable' };
const TYPE_KIND: Record<string, TypeEntry['kind']> = { e: 'enum', d: 'domain', r: 'range', c: 'composite' };

/**
 * Reads the live catalog into the inspector's plain catalog: the starting snapshot against which
 * statements are judged. One round trip per object kind, all on the caller's connection.
 */
export async function readCatalog(db: Queryable): Promise<Catalog> {
  const schemas = record<MutableSchema>();
  const schemaOf = (name: string): MutableSchema =>
    (schemas[name] ??= { tables: record(), views: record(), sequences: record(), indexes: record(), types: record(), routines: record() });

  for (const r of (await db.query<{ schema: string }>(Q.SCHEMAS_SQL)).rows) schemaOf(r.schema);

  for (const r of (await db.query(Q.COLUMNS_SQL)).rows) {
    const s = schemaOf(r.schema);
    const table = (s.tables[r.table] ??= {
      columns: record(),
      constraints: record(),
      persistence: PERSISTENCE[r.persistence] ?? 'permanent',
      ...(r.kind === 'p' ? { partitioned: true } : {}),
      ...(r.reltuples >= 0 ? { rows: Math.round(r.reltuples) } : {}),
    });
    if (r.column === null) continue;
    table.columns[r.column] = {
      type: { schema: r.type_schema, name: r.type_name, mods: typeMods(r.type_name, r.typmod), arrayDims: r.is_array ? Math.max(1, r.ndims) : 0 },
      notNull: r.not_null,
      hasDefault: r.has_default,
      ...(r.identity ? { identity: true } : {}),
      ...(r.generated ? { generated: true } : {}),
    };
  }

  for (const r of (await db.query(Q.CONSTRAINTS_SQL)).rows) {
    const table = schemas[r.schema]?.tables[r.table];
    if (!table) continue;
    table.constraints[r.name] = {
      kind: r.kind,
      columns: r.columns,
      validated: r.validated,
      ...(r.kind === 'f' && r.ref_table ? { references: { table: { schema: r.ref_schema, name: r.ref_table }, columns: r.ref_columns } } : {}),
    };
  }

  for (const r of (await db.query(Q.INDEXES_SQL)).rows) {
    schemaOf(r.schema).indexes[r.name] = { table: { schema: r.schema, name: r.table }, unique: r.unique, columns: r.columns };
  }
  for (const r of (await db.query(Q.VIEWS_SQL)).rows) {
    schemaOf(r.schema).views[r.name] = { materialized: r.materialized, dependsOn: (r.depends_on as string[]).map(qname) };
  }
  for (const r of (await db.query(Q.SEQUENCES_SQL)).rows) {
    schemaOf(r.schema).sequences[r.name] = r.owner_table && r.owner_column
      ? { ownedBy: { table: { schema: r.owner_schema, name: r.owner_table }, column: r.owner_column } }
      : {};
  }
  for (const r of (await db.query(Q.TYPES_SQL)).rows) {
    schemaOf(r.schema).types[r.name] = {
      kind: TYPE_KIND[r.typtype] ?? 'other',
      ...(r.typtype === 'e' ? { values: r.labels } : {}),
      ...(r.typtype === 'd' && r.base_name
        ? { baseType: { schema: r.base_schema, name: r.base_name, mods: typeMods(r.base_name, r.base_typmod), arrayDims: 0 } }
        : {}),
    };
  }
  for (const r of (await db.query(Q.ROUTINES_SQL)).rows) {
    schemaOf(r.schema).routines[r.name] = {
      kind: r.kind === 'p' ? 'procedure' : 'function',
      language: r.language,
      body: r.body,
      params: Array.from({ length: r.nargs }, (_, i) => (r.params as string[])[i] ?? ''),
      volatility: VOLATILITY[r.volatility] ?? 'volatile',
      returns: r.kind === 'p' || r.returns === 'void' ? 'void' : r.returns === 'trigger' ? 'trigger' : r.returns_set ? 'set' : 'value',
    };
  }
  return { completeness: 'complete', schemas: schemas as Record<string, SchemaEntry> };
}
