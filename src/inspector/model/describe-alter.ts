/** ALTER TABLE, RENAME and SET SCHEMA: one change per sub-command, and the strongest lock among them. */
import type { AlterTableCmd, AlterTableStmt, ColumnDef, Constraint, RangeVar, TypeName } from 'libpg-query';
import { entry } from '../catalog/records.js';
import type { Target } from './changes.js';
import { columnSpec, constraintSpec } from './columns.js';
import type { Describer } from './describer.js';
import { type LockMode, alterTableLock, strongest } from './locks.js';
import { as, type AnyNode } from './nodes.js';
import { typeChangeRewrites } from './type-change.js';
import { typeRef } from './type-names.js';

const REWRITING = new Set(['AT_SetLogged', 'AT_SetUnLogged', 'AT_SetAccessMethod', 'AT_SetTableSpace']);

function columnType(d: Describer, t: Target, column: string) {
  return entry(d.table(t.q)?.columns, column)?.type ?? null;
}

function columnExists(d: Describer, t: Target, column: string): 'yes' | 'no' | 'unknown' {
  const table = d.table(t.q);
  if (!table) return t.exists === 'no' ? 'no' : 'unknown';
  return entry(table.columns, column) ? 'yes' : 'no';
}

function addColumn(d: Describer, t: Target, c: AlterTableCmd): void {
  const spec = columnSpec(d, as<ColumnDef>(c.def, 'ColumnDef') ?? {}, t.q.name);
  if (spec.rewriteReason) d.rewrite(t.q);
  d.change({ op: 'add-column', table: t, column: spec });
}

function alterColumnType(d: Describer, t: Target, c: AlterTableCmd, column: string): void {
  const def = as<ColumnDef>(c.def, 'ColumnDef') ?? {};
  const to = typeRef((def.typeName ?? {}) as TypeName, d.catalog, d.searchPath);
  const from = columnType(d, t, column);
  const using = (def.raw_default as AnyNode | undefined) ?? null;
  if (typeChangeRewrites(from, to, using, column)) d.rewrite(t.q);
  d.change({ op: 'alter-column-type', table: t, column, from, to, using });
}

function addConstraint(d: Describer, t: Target, c: AlterTableCmd): LockMode {
  const con = as<Constraint>(c.def, 'Constraint');
  const spec = con && constraintSpec(d, con, t.q.name);
  if (spec) d.change({ op: 'add-constraint', table: t, constraint: spec });
  if (spec?.entry.references) d.lock(spec.entry.references.table, 'SHARE ROW EXCLUSIVE');
  return alterTableLock('AT_AddConstraint', con?.contype);
}

/** One sub-command; returns the lock it takes. */
function describeCmd(d: Describer, t: Target, c: AlterTableCmd): LockMode {
  const column = c.name ?? '';
  switch (c.subtype) {
    case 'AT_AddColumn':
      addColumn(d, t, c);
      break;
    case 'AT_DropColumn':
      d.change({ op: 'drop-column', table: t, column, exists: columnExists(d, t, column), type: columnType(d, t, column), cascade: c.behavior === 'DROP_CASCADE' });
      break;
    case 'AT_AlterColumnType':
      alterColumnType(d, t, c, column);
      break;
    case 'AT_SetNotNull':
      d.change({ op: 'set-not-null', table: t, column });
      break;
    case 'AT_DropNotNull':
      d.change({ op: 'drop-not-null', table: t, column });
      break;
    case 'AT_ColumnDefault':
      d.change({ op: 'set-default', table: t, column, hasDefault: c.def !== undefined });
      break;
    case 'AT_AddConstraint':
      return addConstraint(d, t, c);
    case 'AT_DropConstraint':
      d.change({ op: 'drop-constraint', table: t, name: column });
      break;
    case 'AT_ValidateConstraint':
      d.change({ op: 'validate-constraint', table: t, name: column });
      break;
    case 'AT_DetachPartition': {
      const concurrent = (as<{ concurrent?: boolean }>(c.def, 'PartitionCmd')?.concurrent ?? false) === true;
      if (concurrent) d.transactional = false;
      return alterTableLock('AT_DetachPartition', undefined, concurrent);
    }
    default:
      if (REWRITING.has(c.subtype ?? '')) d.rewrite(t.q);
  }
  return alterTableLock(c.subtype ?? '');
}

export function describeAlterTable(d: Describer, n: AlterTableStmt): void {
  const objtype = n.objtype ?? 'OBJECT_TABLE';
  d.kind = objtype === 'OBJECT_TABLE' ? 'ALTER TABLE' : `ALTER ${objtype.replace('OBJECT_', '').replace('MATVIEW', 'MATERIALIZED VIEW').replace('_', ' ')}`;
  const t = d.target(n.relation);
  let lock: LockMode | null = null;
  for (const item of n.cmds ?? []) {
    const c = as<AlterTableCmd>(item, 'AlterTableCmd');
    if (c) lock = strongest(lock, describeCmd(d, t, c));
  }
  d.lock(t.q, lock);
}

const RELATION_KINDS: Readonly<Record<string, 'table' | 'view' | 'index' | 'sequence'>> = {
  OBJECT_TABLE: 'table', OBJECT_FOREIGN_TABLE: 'table', OBJECT_VIEW: 'view', OBJECT_MATVIEW: 'view', OBJECT_INDEX: 'index', OBJECT_SEQUENCE: 'sequence',
};

export function describeRename(d: Describer, n: AnyNode): void {
  const renameType = String(n.renameType ?? '');
  const newname = String(n.newname ?? '');
  d.kind = `ALTER ${renameType.replace('OBJECT_', '').replace('TABCONSTRAINT', 'TABLE').replace('COLUMN', 'TABLE').replace('MATVIEW', 'MATERIALIZED VIEW')}`;
  if (renameType === 'OBJECT_SCHEMA') {
    d.change({ op: 'rename-schema', from: String(n.subname ?? ''), to: newname });
    return;
  }
  const rv = n.relation as RangeVar | undefined;
  if (!rv) return;
  const t = d.target(rv);
  d.lock(t.q, 'ACCESS EXCLUSIVE');
  if (renameType === 'OBJECT_COLUMN') d.change({ op: 'rename-column', table: t, from: String(n.subname ?? ''), to: newname });
  const kind = RELATION_KINDS[renameType];
  if (kind) d.change({ op: 'rename-relation', relation: t, kind, to: newname });
}

export function describeSetSchema(d: Describer, n: AnyNode): void {
  d.kind = `ALTER ${String(n.objectType ?? '').replace('OBJECT_', '')}`;
  const rv = n.relation as RangeVar | undefined;
  if (!rv || !RELATION_KINDS[String(n.objectType)]) return;
  const t = d.target(rv);
  d.lock(t.q, 'ACCESS EXCLUSIVE');
  d.change({ op: 'set-schema', relation: t, to: String(n.newschema ?? '') });
}
