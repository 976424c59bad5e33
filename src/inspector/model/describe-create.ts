/** CREATE statements: what they add to the catalog and what they lock on the way. */
import type { ColumnDef, Constraint, CreateStmt, IndexStmt, RangeVar, TypeName } from 'libpg-query';
import { resolveIn } from '../catalog/names.js';
import { entry, keys } from '../catalog/records.js';
import type { QName, RoutineEntry } from '../catalog/types.js';
import type { ColumnSpec, ConstraintSpec } from './changes.js';
import { columnSpec, constraintSpec } from './columns.js';
import type { Describer } from './describer.js';
import { someNode } from './expr.js';
import { as, defElem, listItems, strings, type AnyNode } from './nodes.js';
import { typeRef } from './type-names.js';

const PERSISTENCE = { p: 'permanent', u: 'unlogged', t: 'temporary' } as const;

/** Columns copied from another table (LIKE, INHERITS, PARTITION OF), when the catalog knows them. */
function inheritedColumns(d: Describer, rv: RangeVar): ColumnSpec[] | null {
  const t = d.target(rv);
  const table = d.table(t.q);
  if (!table) return null;
  return keys(table.columns).map((name) => ({ name, entry: table.columns[name]!, inlineConstraints: [] }));
}

export function describeCreateTable(d: Describer, n: CreateStmt): void {
  d.kind = 'CREATE TABLE';
  const t = d.target(n.relation);
  const columns: ColumnSpec[] = [];
  const constraints: ConstraintSpec[] = [];
  let columnsKnown = true;
  const sources = [...(n.inhRelations ?? [])];
  for (const elt of n.tableElts ?? []) {
    const like = as<{ relation: RangeVar }>(elt, 'TableLikeClause');
    if (like) sources.push({ RangeVar: like.relation } as never);
    const col = as<ColumnDef>(elt, 'ColumnDef');
    if (col) columns.push(columnSpec(d, col, t.q.name));
    const con = as<Constraint>(elt, 'Constraint');
    const spec = con && constraintSpec(d, con, t.q.name);
    if (spec) constraints.push(spec);
  }
  for (const source of sources) {
    const rv = as<RangeVar>(source, 'RangeVar');
    const copied = rv ? inheritedColumns(d, rv) : null;
    if (copied) columns.unshift(...copied.filter((c) => !columns.some((o) => o.name === c.name)));
    else columnsKnown = false;
  }
  for (const spec of [...constraints, ...columns.flatMap((c) => c.inlineConstraints)]) {
    if (spec.entry.references) d.lock(spec.entry.references.table, 'SHARE ROW EXCLUSIVE');
  }
  const persistence = PERSISTENCE[(n.relation?.relpersistence ?? 'p') as 'p'] ?? 'permanent';
  d.change({ op: 'create-table', table: t, columns, constraints, persistence, columnsKnown });
}

function relationsRead(d: Describer, query: unknown): QName[] {
  const out: QName[] = [];
  someNode(query, (type, body) => {
    if (type === 'RangeVar') out.push(d.target(body as RangeVar).q);
    return false;
  });
  return out;
}

export function describeCreateTableAs(d: Describer, n: AnyNode): void {
  const into = n.into as { rel?: RangeVar } | undefined;
  const materialized = n.objtype === 'OBJECT_MATVIEW';
  d.kind = materialized ? 'CREATE MATERIALIZED VIEW' : 'CREATE TABLE AS';
  const t = d.target(into?.rel);
  const deps = relationsRead(d, n.query);
  for (const q of deps) d.read(q);
  if (materialized) d.change({ op: 'create-view', view: t, materialized, dependsOn: deps });
  else d.change({ op: 'create-table', table: t, columns: [], constraints: [], persistence: into?.rel?.relpersistence === 't' ? 'temporary' : 'permanent', columnsKnown: false });
}

export function describeCreateView(d: Describer, n: AnyNode): void {
  d.kind = 'CREATE VIEW';
  const t = d.target(n.view as RangeVar);
  const deps = relationsRead(d, n.query);
  for (const q of deps) d.read(q);
  d.change({ op: 'create-view', view: t, materialized: false, dependsOn: deps });
}

export function describeCreateIndex(d: Describer, n: IndexStmt): void {
  d.kind = 'CREATE INDEX';
  const t = d.target(n.relation);
  const concurrent = n.concurrent === true;
  const columns = (n.indexParams ?? []).map((p) => as<{ name?: string }>(p, 'IndexElem')?.name ?? '').filter((c) => c !== '');
  const index = n.idxname ? { schema: t.q.schema, name: n.idxname } : null;
  d.lock(t.q, concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE');
  if (concurrent) d.transactional = false;
  d.change({ op: 'create-index', index, table: t, concurrent, unique: n.unique === true, columns });
}

function ownedBy(d: Describer, options: unknown[] | undefined): { table: QName; column: string } | undefined {
  const names = strings(listItems(defElem(options, 'owned_by')));
  if (names.length < 2) return undefined;
  return { table: d.targetFromNames(names.slice(0, -1)).q, column: names[names.length - 1]! };
}

export function describeSequence(d: Describer, n: AnyNode, alter: boolean): void {
  d.kind = alter ? 'ALTER SEQUENCE' : 'CREATE SEQUENCE';
  const t = d.target(n.sequence as RangeVar);
  const owner = ownedBy(d, n.options as unknown[]);
  if (!alter || owner) d.change({ op: 'create-sequence', sequence: t.q, ...(owner ? { ownedBy: owner } : {}) });
}

function typeQName(d: Describer, names: string[]): QName {
  const name = names[names.length - 1] ?? '';
  return resolveIn(d.catalog, d.searchPath, 'types', names.length > 1 ? names[names.length - 2] : undefined, name).q;
}

export function describeCreateType(d: Describer, type: string, n: AnyNode): void {
  d.kind = type === 'CreateDomainStmt' ? 'CREATE DOMAIN' : 'CREATE TYPE';
  if (type === 'CreateEnumStmt') {
    d.change({ op: 'create-type', type: typeQName(d, strings(n.typeName as unknown[])), entry: { kind: 'enum', values: strings(n.vals as unknown[]) } });
  } else if (type === 'CompositeTypeStmt') {
    const rv = n.typevar as RangeVar;
    d.change({ op: 'create-type', type: typeQName(d, [rv.schemaname ?? '', rv.relname ?? ''].filter((s) => s !== '')), entry: { kind: 'composite' } });
  } else if (type === 'CreateDomainStmt') {
    const baseType = typeRef(n.typeName as TypeName, d.catalog, d.searchPath);
    d.change({ op: 'create-type', type: typeQName(d, strings(n.domainname as unknown[])), entry: { kind: 'domain', baseType } });
  } else if (type === 'CreateRangeStmt') {
    d.change({ op: 'create-type', type: typeQName(d, strings(n.typeName as unknown[])), entry: { kind: 'range' } });
  } else if (type === 'AlterEnumStmt') {
    d.kind = 'ALTER TYPE';
    const q = typeQName(d, strings(n.typeName as unknown[]));
    const existing = entry(entry(d.catalog.schemas, q.schema)?.types, q.name);
    if (existing && n.newVal && !n.oldVal) d.change({ op: 'create-type', type: q, entry: { ...existing, values: [...(existing.values ?? []), String(n.newVal)] } });
  }
}

function routineBody(n: AnyNode): string | null {
  const as_ = strings(listItems(defElem(n.options as unknown[], 'as')));
  return as_.length === 1 ? as_[0]! : null;
}

function returnsOf(rt: { names?: unknown[]; setof?: boolean } | undefined, procedure: boolean): RoutineEntry['returns'] {
  if (procedure || !rt) return 'void';
  if (rt.setof) return 'set';
  const name = strings(rt.names).pop();
  return name === 'void' ? 'void' : name === 'trigger' || name === 'event_trigger' ? 'trigger' : 'value';
}

/** BEGIN ATOMIC bodies come as lists of lists of statements. */
function flattenLists(node: unknown): unknown[] {
  const items = listItems(node);
  if (items.length === 0) return node && !as(node, 'List') ? [node] : [];
  return items.flatMap((item) => (as(item, 'List') ? flattenLists(item) : [item]));
}

export function describeCreateFunction(d: Describer, n: AnyNode): void {
  const procedure = n.is_procedure === true;
  d.kind = procedure ? 'CREATE PROCEDURE' : 'CREATE FUNCTION';
  const names = strings(n.funcname as unknown[]);
  const name = names[names.length - 1] ?? '';
  const q = resolveIn(d.catalog, d.searchPath, 'routines', names.length > 1 ? names[names.length - 2] : undefined, name).q;
  const language = (as<{ sval?: string }>(defElem(n.options as unknown[], 'language'), 'String')?.sval ?? 'sql').toLowerCase();
  const volatilityArg = as<{ sval?: string }>(defElem(n.options as unknown[], 'volatility'), 'String')?.sval;
  const params = ((n.parameters as unknown[]) ?? [])
    .map((p) => as<{ name?: string; mode?: string }>(p, 'FunctionParameter'))
    .filter((p) => p && p.mode !== 'FUNC_PARAM_OUT' && p.mode !== 'FUNC_PARAM_TABLE')
    .map((p) => p?.name ?? '');
  const entry_: RoutineEntry = {
    kind: procedure ? 'procedure' : 'function',
    language,
    body: routineBody(n),
    params,
    volatility: volatilityArg === 'immutable' || volatilityArg === 'stable' ? volatilityArg : 'volatile',
    returns: returnsOf(n.returnType as { names?: unknown[]; setof?: boolean } | undefined, procedure),
    ...(n.sql_body ? { atomicBody: flattenLists(n.sql_body) } : {}),
  };
  d.change({ op: 'create-routine', routine: q, entry: entry_, node: n });
}

export function describeCreateSchema(d: Describer, n: AnyNode): void {
  d.kind = 'CREATE SCHEMA';
  const name = String(n.schemaname ?? (n.authrole as { rolename?: string } | undefined)?.rolename ?? '');
  d.change({ op: 'create-schema', schema: name });
}
