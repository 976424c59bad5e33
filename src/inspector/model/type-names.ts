/**
 * Types as the parser spells them (`pg_catalog.int4`, `text`, `mood`) turned into TypeRefs, and
 * back into the words people use (`integer`, `varchar(20)`).
 */
import type { TypeName } from 'libpg-query';
import { resolveIn } from '../catalog/names.js';
import type { Catalog, TypeRef } from '../catalog/types.js';
import { strings } from './nodes.js';

/** Built-in type names that may be written without pg_catalog (the grammar qualifies only keywords). */
const BUILTIN = new Set([
  'text', 'uuid', 'json', 'jsonb', 'date', 'bytea', 'inet', 'cidr', 'macaddr', 'money', 'xml', 'tsvector', 'tsquery',
  'int2', 'int4', 'int8', 'float4', 'float8', 'bool', 'varchar', 'bpchar', 'numeric', 'timestamp', 'timestamptz',
  'time', 'timetz', 'interval', 'name', 'oid', 'regclass', 'char', 'point', 'void', 'record', 'trigger', 'bit', 'varbit',
]);

/** serial types are int columns with a sequence default; the parser leaves them as written. */
export const SERIAL_TYPES: Readonly<Record<string, string>> = { serial: 'int4', serial4: 'int4', bigserial: 'int8', serial8: 'int8', smallserial: 'int2', serial2: 'int2' };

function typmods(tn: TypeName): number[] {
  const out: number[] = [];
  for (const mod of tn.typmods ?? []) {
    const c = (mod as { A_Const?: { ival?: { ival?: number } } }).A_Const;
    if (c?.ival) out.push(c.ival.ival ?? 0);
  }
  return out;
}

/** Turns a parsed TypeName into a TypeRef, resolving user-defined types along the search_path. */
export function typeRef(tn: TypeName, catalog: Catalog, searchPath: readonly string[]): TypeRef {
  const names = strings(tn.names);
  const arrayDims = tn.arrayBounds?.length ?? 0;
  const mods = typmods(tn);
  const name = names[names.length - 1] ?? 'unknown';
  if (names.length >= 2) return { schema: names[names.length - 2]!, name, mods, arrayDims };
  const serial = SERIAL_TYPES[name];
  if (serial) return { schema: 'pg_catalog', name: serial, mods, arrayDims };
  const user = resolveIn(catalog, searchPath, 'types', undefined, name);
  if (user.found || !BUILTIN.has(name)) return { schema: user.q.schema, name, mods, arrayDims };
  return { schema: 'pg_catalog', name, mods, arrayDims };
}

const SPOKEN: Readonly<Record<string, string>> = {
  int2: 'smallint', int4: 'integer', int8: 'bigint', float4: 'real', float8: 'double precision', bool: 'boolean',
  varchar: 'varchar', bpchar: 'char', timestamptz: 'timestamptz', timestamp: 'timestamp',
};

/** `integer`, `varchar(20)`, `numeric(10,2)`, `billing.currency[]`. */
export function typeDisplay(t: TypeRef): string {
  const base = t.schema === 'pg_catalog' ? (SPOKEN[t.name] ?? t.name) : t.schema === 'public' ? t.name : `${t.schema}.${t.name}`;
  const mods = t.mods.length > 0 ? `(${t.mods.join(',')})` : '';
  return base + mods + '[]'.repeat(t.arrayDims);
}

export function sameType(a: TypeRef, b: TypeRef): boolean {
  return a.schema === b.schema && a.name === b.name && a.arrayDims === b.arrayDims && a.mods.join(',') === b.mods.join(',');
}

export type TypeFamily = 'integer' | 'numeric' | 'float' | 'text' | 'timestamp' | 'date' | 'time' | 'boolean' | 'json' | 'uuid' | 'bytes' | 'other';

const FAMILIES: Readonly<Record<string, TypeFamily>> = {
  int2: 'integer', int4: 'integer', int8: 'integer', numeric: 'numeric', float4: 'float', float8: 'float', money: 'numeric',
  text: 'text', varchar: 'text', bpchar: 'text', name: 'text', citext: 'text', char: 'text',
  timestamp: 'timestamp', timestamptz: 'timestamp', date: 'date', time: 'time', timetz: 'time',
  bool: 'boolean', json: 'json', jsonb: 'json', uuid: 'uuid', bytea: 'bytes',
};

export function typeFamily(t: TypeRef): TypeFamily {
  if (t.arrayDims > 0) return 'other';
  return FAMILIES[t.name] ?? 'other';
}

/** Types a renamed column could plausibly have been re-added with. */
export function compatibleTypes(a: TypeRef, b: TypeRef): boolean {
  if (sameType(a, b)) return true;
  const fa = typeFamily(a);
  const fb = typeFamily(b);
  if (fa === 'other' || fb === 'other') return a.name === b.name && a.schema === b.schema;
  const numeric = (f: TypeFamily) => f === 'integer' || f === 'numeric' || f === 'float';
  return fa === fb || (numeric(fa) && numeric(fb)) || ((fa === 'timestamp' || fa === 'date') && (fb === 'timestamp' || fb === 'date'));
}
