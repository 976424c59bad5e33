/**
 * Column and constraint definitions (CREATE TABLE, ADD COLUMN, ADD CONSTRAINT) as specs, with
 * the names PostgreSQL would give unnamed constraints.
 */
import type { ColumnDef, Constraint, RangeVar, TypeName } from 'libpg-query';
import type { ConstraintEntry, TypeRef } from '../catalog/types.js';
import type { ColumnSpec, ConstraintSpec } from './changes.js';
import type { Describer } from './describer.js';
import { volatileCall } from './expr.js';
import { as, strings, type AnyNode } from './nodes.js';
import { SERIAL_TYPES, typeRef } from './type-names.js';

const SUFFIX: Readonly<Record<ConstraintEntry['kind'], string>> = { p: 'pkey', u: 'key', f: 'fkey', c: 'check', x: 'excl', n: 'not_null' };

function constraintName(table: string, kind: ConstraintEntry['kind'], columns: readonly string[]): string {
  if (kind === 'p') return `${table}_pkey`;
  return [table, ...columns.slice(0, 1), SUFFIX[kind]].join('_');
}

function checkProvesNotNull(expr: unknown): string | undefined {
  const nt = as<AnyNode>(expr, 'NullTest');
  if (!nt || nt.nulltesttype !== 'IS_NOT_NULL') return undefined;
  const ref = as<AnyNode>(nt.arg, 'ColumnRef');
  const names = ref ? strings(ref.fields as unknown[]) : [];
  return names.length === 1 ? names[0] : undefined;
}

const KINDS: Readonly<Record<string, ConstraintEntry['kind']>> = {
  CONSTR_PRIMARY: 'p', CONSTR_UNIQUE: 'u', CONSTR_FOREIGN: 'f', CONSTR_CHECK: 'c', CONSTR_EXCLUSION: 'x', CONSTR_NOTNULL: 'n',
};

/** A table or column constraint as a spec; `column` is set for an inline (column) constraint. */
export function constraintSpec(d: Describer, c: Constraint, table: string, column?: string): ConstraintSpec | undefined {
  const kind = KINDS[c.contype ?? ''];
  if (!kind) return undefined;
  const columns = column !== undefined ? [column] : strings(kind === 'f' ? c.fk_attrs : (c.keys as unknown[]));
  const references = kind === 'f' ? { table: d.target(c.pktable as RangeVar).q, columns: strings(c.pk_attrs) } : undefined;
  const provesNotNull = kind === 'c' ? checkProvesNotNull(c.raw_expr) : undefined;
  const notValid = c.skip_validation === true;
  const entry: ConstraintEntry = { kind, columns, validated: !notValid, ...(references ? { references } : {}), ...(provesNotNull ? { provesNotNull } : {}) };
  return { name: c.conname ?? constraintName(table, kind, columns), entry, notValid, usingIndex: Boolean(c.indexname) };
}

function rewriteReason(def: ColumnDef, d: Describer, serial: boolean): string | undefined {
  if (serial) return 'a serial column fills every existing row from a sequence';
  for (const item of def.constraints ?? []) {
    const c = as<Constraint>(item, 'Constraint');
    if (c?.contype === 'CONSTR_IDENTITY') return 'an identity column fills every existing row from a sequence';
    if (c?.contype === 'CONSTR_GENERATED' && c.generated_kind !== 'v') return 'a stored generated column is computed for every existing row';
    if (c?.contype === 'CONSTR_DEFAULT') {
      const fn = volatileCall(c.raw_expr, d.catalog, d.searchPath);
      if (fn) return `the default calls ${fn}(), which is volatile, so every existing row gets its own value`;
    }
  }
  return undefined;
}

/** A column definition as a spec. `table` names the table for generated constraint names. */
export function columnSpec(d: Describer, def: ColumnDef, table: string): ColumnSpec {
  const name = def.colname ?? '';
  const tn = (def.typeName ?? {}) as TypeName;
  const written = strings(tn.names);
  const serial = written.length === 1 && SERIAL_TYPES[written[0]!] !== undefined;
  const type: TypeRef = typeRef(tn, d.catalog, d.searchPath);
  let notNull = serial;
  let hasDefault = serial;
  let identity = false;
  let generated = false;
  let defaultExpr: AnyNode | undefined;
  const inline: ConstraintSpec[] = [];
  for (const item of def.constraints ?? []) {
    const c = as<Constraint>(item, 'Constraint');
    if (!c) continue;
    if (c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_IDENTITY') notNull = true;
    if (c.contype === 'CONSTR_DEFAULT') {
      hasDefault = true;
      defaultExpr = c.raw_expr as AnyNode;
    }
    if (c.contype === 'CONSTR_IDENTITY') identity = true;
    if (c.contype === 'CONSTR_GENERATED') generated = true;
    if (c.contype === 'CONSTR_NOTNULL') continue;
    const spec = constraintSpec(d, c, table, name);
    if (spec) inline.push(spec);
  }
  const reason = rewriteReason(def, d, serial);
  return {
    name,
    entry: { type, notNull, hasDefault: hasDefault || identity || generated, ...(identity ? { identity } : {}), ...(generated ? { generated } : {}) },
    ...(defaultExpr ? { defaultExpr } : {}),
    ...(reason ? { rewriteReason: reason } : {}),
    inlineConstraints: inline,
  };
}
