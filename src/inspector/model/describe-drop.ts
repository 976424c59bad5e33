/** DROP …, DROP DATABASE, DROP OWNED and TRUNCATE. */
import type { RangeVar } from 'libpg-query';
import { existence, resolveIn } from '../catalog/names.js';
import { entry } from '../catalog/records.js';
import type { Target } from './changes.js';
import type { Describer } from './describer.js';
import { as, listItems, strings, type AnyNode } from './nodes.js';

const TABLE_KINDS = {
  OBJECT_TABLE: 'table',
  OBJECT_VIEW: 'view',
  OBJECT_MATVIEW: 'materialized view',
  OBJECT_FOREIGN_TABLE: 'foreign table',
} as const;

function objectNames(obj: unknown): string[] {
  const s = as<{ sval?: string }>(obj, 'String');
  if (s) return [s.sval ?? ''];
  const tn = as<{ names?: unknown[] }>(obj, 'TypeName');
  if (tn) return strings(tn.names);
  const owa = as<{ objname?: unknown[] }>(obj, 'ObjectWithArgs');
  if (owa) return strings(owa.objname);
  return strings(listItems(obj));
}

function typeTarget(d: Describer, names: string[]): Target {
  const name = names[names.length - 1] ?? '';
  const schema = names.length > 1 ? names[names.length - 2] : undefined;
  const r = resolveIn(d.catalog, d.searchPath, 'types', schema, name);
  return { q: r.q, written: names.join('.'), exists: existence(d.catalog, r.found) };
}

function dropIndex(d: Describer, names: string[], concurrent: boolean): void {
  const t = d.targetFromNames(names);
  const index = entry(entry(d.catalog.schemas, t.q.schema)?.indexes, t.q.name);
  const table = index?.table ?? null;
  if (concurrent) d.transactional = false;
  if (table) d.lock(table, concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE');
  d.change({ op: 'drop-index', index: t.q, table, exists: t.exists, concurrent });
}

export function describeDrop(d: Describer, n: AnyNode): void {
  const removeType = String(n.removeType ?? '');
  const cascade = n.behavior === 'DROP_CASCADE';
  const objects = (n.objects as unknown[]) ?? [];
  d.kind = `DROP ${removeType.replace('OBJECT_', '').replace('MATVIEW', 'MATERIALIZED VIEW').replace('_', ' ')}`;
  for (const obj of objects) {
    const names = objectNames(obj);
    const tableKind = TABLE_KINDS[removeType as keyof typeof TABLE_KINDS];
    if (tableKind) {
      const t = d.targetFromNames(names);
      d.lock(t.q, 'ACCESS EXCLUSIVE');
      d.change({ op: 'drop-table', table: t, cascade, kind: tableKind });
    } else if (removeType === 'OBJECT_INDEX') {
      dropIndex(d, names, n.concurrent === true);
    } else if (removeType === 'OBJECT_SEQUENCE') {
      const t = d.targetFromNames(names);
      d.lock(t.q, 'ACCESS EXCLUSIVE');
      d.change({ op: 'drop-sequence', sequence: t });
    } else if (removeType === 'OBJECT_TYPE' || removeType === 'OBJECT_DOMAIN') {
      d.change({ op: 'drop-type', type: typeTarget(d, names), cascade });
    } else if (removeType === 'OBJECT_SCHEMA') {
      const schema = names[0] ?? '';
      d.change({ op: 'drop-schema', schema, exists: existence(d.catalog, entry(d.catalog.schemas, schema) !== undefined), cascade });
    } else if (removeType === 'OBJECT_FUNCTION' || removeType === 'OBJECT_PROCEDURE' || removeType === 'OBJECT_ROUTINE') {
      const name = names[names.length - 1] ?? '';
      const r = resolveIn(d.catalog, d.searchPath, 'routines', names.length > 1 ? names[names.length - 2] : undefined, name);
      d.change({ op: 'drop-routine', routine: r.q });
    }
  }
}

export function describeDropDatabase(d: Describer, n: AnyNode): void {
  d.kind = 'DROP DATABASE';
  d.transactional = false;
  d.change({ op: 'drop-database', database: String(n.dbname ?? '') });
}

export function describeDropOwned(d: Describer, n: AnyNode): void {
  d.kind = 'DROP OWNED';
  const roles = ((n.roles as unknown[]) ?? []).map((r) => as<{ rolename?: string; roletype?: string }>(r, 'RoleSpec'));
  d.change({ op: 'drop-owned', roles: roles.map((r) => r?.rolename ?? (r?.roletype === 'ROLESPEC_CURRENT_USER' ? 'CURRENT_USER' : 'a role')) });
}

export function describeTruncate(d: Describer, n: AnyNode): void {
  d.kind = 'TRUNCATE';
  const tables = ((n.relations as unknown[]) ?? []).map((r) => d.target(as<RangeVar>(r, 'RangeVar')));
  for (const t of tables) d.lock(t.q, 'ACCESS EXCLUSIVE');
  d.change({ op: 'truncate', tables, cascade: n.behavior === 'DROP_CASCADE' });
}
