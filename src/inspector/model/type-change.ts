/**
 * ALTER COLUMN TYPE: does it rewrite the table, and does it lose data? Both are judged against
 * the column's known type; with the type unknown, only what the USING expression shows is used.
 */
import type { TypeRef } from '../catalog/types.js';
import { referencesColumn, someNode } from './expr.js';
import { nodeType, strings, type AnyNode } from './nodes.js';
import { sameType, typeDisplay, typeFamily } from './type-names.js';

/** A USING that only restates the column (`c`, `c::text`) is the same as no USING. */
function plainUsing(using: AnyNode | null, column: string): boolean {
  if (!using) return true;
  const [type, body] = nodeType(using);
  if (type === 'ColumnRef') return strings(body.fields as unknown[]).pop() === column;
  if (type === 'TypeCast') return plainUsing(body.arg as AnyNode, column);
  return false;
}

function isText(t: TypeRef): boolean {
  return t.arrayDims === 0 && (t.name === 'text' || t.name === 'varchar');
}

/** Changes PostgreSQL makes without rewriting: binary-coercible with no narrower limit. */
function noRewrite(from: TypeRef, to: TypeRef): boolean {
  if (sameType(from, to)) return true;
  if (from.arrayDims !== to.arrayDims) return false;
  if (isText(from) && isText(to)) {
    if (to.mods.length === 0) return true;
    return from.name === 'varchar' && from.mods.length > 0 && to.mods[0]! >= from.mods[0]!;
  }
  if (from.name === 'numeric' && to.name === 'numeric') {
    if (to.mods.length === 0) return true;
    return from.mods.length > 0 && to.mods[0]! >= from.mods[0]! && (to.mods[1] ?? 0) === (from.mods[1] ?? 0);
  }
  if (from.name === 'varbit' && to.name === 'varbit') return to.mods.length === 0 || (from.mods.length > 0 && to.mods[0]! >= from.mods[0]!);
  return from.name === 'cidr' && to.name === 'inet';
}

export function typeChangeRewrites(from: TypeRef | null, to: TypeRef, using: AnyNode | null, column: string): boolean {
  if (!from) return true;
  return !(plainUsing(using, column) && noRewrite(from, to));
}

const TRUNCATING_FUNCTIONS = new Set(['left', 'substr', 'substring', 'round', 'trunc', 'date_trunc', 'floor', 'ceil', 'ceiling']);

/** A function in USING that throws part of each value away, or a cast to a shorter varchar/char. */
function truncationIn(using: AnyNode | null): string | undefined {
  let found: string | undefined;
  someNode(using, (type, body) => {
    if (type === 'FuncCall') {
      const name = strings(body.funcname as unknown[]).pop() ?? '';
      if (TRUNCATING_FUNCTIONS.has(name)) found = `${name}()`;
    } else if (type === 'TypeCast') {
      const tn = body.typeName as { names?: unknown[]; typmods?: unknown[] };
      const name = strings(tn.names).pop() ?? '';
      if ((name === 'varchar' || name === 'bpchar') && (tn.typmods?.length ?? 0) > 0) found = `a cast to ${name === 'bpchar' ? 'char' : 'varchar'}(n)`;
    } else if (type === 'SubLink') {
      return false;
    }
    return found !== undefined;
  });
  return found;
}

function lossFromTypes(from: TypeRef, to: TypeRef, using: AnyNode | null): string | undefined {
  const ff = typeFamily(from);
  const tf = typeFamily(to);
  const a = typeDisplay(from);
  const b = typeDisplay(to);
  if ((ff === 'numeric' || ff === 'float') && tf === 'integer') return `${a} → ${b} rounds away the fraction of every value`;
  if (ff === 'numeric' && tf === 'numeric' && from.mods.length > 1 && to.mods.length > 0 && (to.mods[1] ?? 0) < from.mods[1]!) {
    return `${a} → ${b} rounds every value to ${to.mods[1] ?? 0} decimal places`;
  }
  if (from.name === 'float8' && to.name === 'float4') return `${a} → ${b} keeps only about 6 significant digits`;
  if (ff === 'timestamp' && tf === 'date') return `${a} → ${b} drops the time of day from every value`;
  if (ff === 'timestamp' && tf === 'time') return `${a} → ${b} drops the date from every value`;
  // Without USING, PostgreSQL refuses text → number outright; with one, it converts and keeps only the number.
  if (ff === 'text' && (tf === 'integer' || tf === 'numeric' || tf === 'float') && using) {
    return `${a} → ${b} keeps only what reads as a number: leading zeros, signs, spaces and formatting are lost`;
  }
  if (tf === 'boolean' && ff !== 'boolean' && using) return `${a} → ${b} collapses every value to true or false`;
  return undefined;
}

/** Why this type change loses data, or undefined when it keeps every value. */
export function lossyTypeChange(from: TypeRef | null, to: TypeRef, using: AnyNode | null, column: string): string | undefined {
  if (using && !referencesColumn(using, column)) return `USING ${describeUsing(using)} replaces every value instead of converting it`;
  const truncation = truncationIn(using);
  if (truncation) return `USING ${truncation} cuts part of every value off`;
  return from ? lossFromTypes(from, to, using) : undefined;
}

function describeUsing(using: AnyNode): string {
  const [type, body] = nodeType(using);
  if (type === 'A_Const') return body.isnull ? 'NULL' : 'a constant';
  return 'an expression that does not read the column';
}
