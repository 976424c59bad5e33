/**
 * Judgements about expressions, made on the parse tree: is a WHERE always true, does a value
 * depend on the row it is written to, does a default call a volatile function.
 */
import { resolveIn } from '../catalog/names.js';
import { entry } from '../catalog/records.js';
import type { Catalog } from '../catalog/types.js';
import { as, constOf, nodeType, strings, type AnyNode } from './nodes.js';

/** Built-ins that give a different value per row, so a default using one rewrites the table. */
const VOLATILE = new Set(['random', 'gen_random_uuid', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4', 'uuidv4', 'uuidv7', 'clock_timestamp', 'timeofday', 'nextval', 'setval', 'txid_current', 'random_normal']);

/** Built-ins that are stable or immutable: a default using them is computed once. */
const NOT_VOLATILE = new Set([
  'now', 'transaction_timestamp', 'statement_timestamp', 'current_setting', 'lower', 'upper', 'coalesce', 'nullif', 'concat', 'length',
  'abs', 'round', 'trunc', 'to_timestamp', 'to_char', 'to_date', 'date_trunc', 'jsonb_build_object', 'json_build_object', 'array', 'greatest', 'least',
  'make_interval', 'md5', 'replace', 'substr', 'substring', 'left', 'right', 'btrim', 'trim', 'ltrim', 'rtrim', 'format', 'int4', 'int8', 'text',
]);

/** Calls `visit` on every node wrapper under `node` (depth first). Stops early when `visit` returns true. */
export function someNode(node: unknown, visit: (type: string, body: AnyNode) => boolean, depth = 0): boolean {
  if (node === null || typeof node !== 'object' || depth > 200) return false;
  if (Array.isArray(node)) return node.some((n) => someNode(n, visit, depth + 1));
  for (const key in node as AnyNode) {
    const value = (node as AnyNode)[key];
    if (key.length > 0 && key[0]! >= 'A' && key[0]! <= 'Z' && value && typeof value === 'object' && !Array.isArray(value)) {
      if (visit(key, value as AnyNode)) return true;
    }
    if (someNode(value, visit, depth + 1)) return true;
  }
  return false;
}

/** The first volatile function an expression calls (by name), or undefined. */
export function volatileCall(expr: unknown, catalog: Catalog, searchPath: readonly string[]): string | undefined {
  let found: string | undefined;
  someNode(expr, (type, body) => {
    if (type !== 'FuncCall') return false;
    const names = strings(body.funcname as unknown[]);
    const name = names[names.length - 1] ?? '';
    const schema = names.length > 1 ? names[names.length - 2] : undefined;
    if (VOLATILE.has(name)) found = name;
    else if (schema === 'pg_catalog' || NOT_VOLATILE.has(name)) return false;
    else {
      const r = resolveIn(catalog, searchPath, 'routines', schema, name);
      const routine = r.found ? entry(entry(catalog.schemas, r.q.schema)?.routines, name) : undefined;
      // CREATE FUNCTION defaults to VOLATILE, so an unknown function is taken as volatile.
      if (!routine || routine.volatility === 'volatile') found = name;
    }
    return found !== undefined;
  });
  return found;
}

/** True when the value cannot depend on the row: no column reference and no subquery. */
export function rowIndependent(expr: unknown): boolean {
  // A parameter ($1) is one value for every row, like a constant.
  return !someNode(expr, (type) => type === 'ColumnRef' || type === 'SubLink');
}

export function referencesColumn(expr: unknown, column: string): boolean {
  return someNode(expr, (type, body) => {
    if (type !== 'ColumnRef') return false;
    const names = strings(body.fields as unknown[]);
    return names[names.length - 1] === column;
  });
}

type Tri = boolean | null;

function columnKey(node: unknown): string | undefined {
  const ref = as<AnyNode>(node, 'ColumnRef');
  return ref ? strings(ref.fields as unknown[]).join('.') : undefined;
}

function constant(node: unknown): { v: string | number | boolean | null } | undefined {
  const [type, body] = nodeType(node);
  if (type === 'A_Const') {
    const c = constOf(body);
    return { v: c.kind === 'null' ? null : c.value };
  }
  if (type === 'TypeCast') return constant(body.arg);
  return undefined;
}

function compare(op: string, a: string | number | boolean, b: string | number | boolean): Tri {
  switch (op) {
    case '=': return a === b;
    case '<>': case '!=': return a !== b;
    case '<': return a < b;
    case '>': return a > b;
    case '<=': return a <= b;
    case '>=': return a >= b;
    default: return null;
  }
}

function evalOp(body: AnyNode): Tri {
  if (body.kind !== 'AEXPR_OP') return null;
  const op = strings(body.name as unknown[]).pop() ?? '';
  const l = constant(body.lexpr);
  const r = constant(body.rexpr);
  if (l && r) return l.v === null || r.v === null ? null : compare(op, l.v, r.v);
  const lc = columnKey(body.lexpr);
  // `x = x` holds for every row where x is not null: as good as no condition at all.
  if (lc !== undefined && lc === columnKey(body.rexpr) && (op === '=' || op === '<=' || op === '>=')) return true;
  return null;
}

function evalNullTest(body: AnyNode, notNull: (column: string) => boolean): Tri {
  const c = columnKey(body.arg);
  if (c === undefined || !notNull(c)) return null;
  return body.nulltesttype === 'IS_NOT_NULL';
}

/** Whether an OR holds `x IS NULL` and `x IS NOT NULL` for the same x: true for every row. */
function complementaryNullTests(args: unknown[]): boolean {
  const seen = new Map<string, Set<string>>();
  for (const arg of args) {
    const nt = as<AnyNode>(arg, 'NullTest');
    const c = nt && columnKey(nt.arg);
    if (!nt || c === undefined) continue;
    const kinds = seen.get(c) ?? new Set<string>();
    kinds.add(String(nt.nulltesttype));
    seen.set(c, kinds);
    if (kinds.size === 2) return true;
  }
  return false;
}

/** Evaluates a condition that needs no row: true, false, or null when it depends on the row. */
export function evalCondition(node: unknown, notNull: (column: string) => boolean = () => false): Tri {
  const [type, body] = nodeType(node);
  if (type === 'A_Const' || type === 'TypeCast') {
    const c = constant(node);
    if (!c) return null;
    if (typeof c.v === 'boolean') return c.v;
    if (typeof c.v === 'string') return ['t', 'true', 'y', 'yes', 'on', '1'].includes(c.v.toLowerCase()) ? true : ['f', 'false', 'n', 'no', 'off', '0'].includes(c.v.toLowerCase()) ? false : null;
    return null;
  }
  if (type === 'BoolExpr') {
    const args = (body.args as unknown[]) ?? [];
    const values = args.map((a) => evalCondition(a, notNull));
    if (body.boolop === 'NOT_EXPR') return values[0] === null || values[0] === undefined ? null : !values[0];
    if (body.boolop === 'AND_EXPR') return values.includes(false) ? false : values.every((v) => v === true) ? true : null;
    if (values.includes(true) || complementaryNullTests(args)) return true;
    return values.every((v) => v === false) ? false : null;
  }
  if (type === 'A_Expr') return evalOp(body);
  if (type === 'NullTest') return evalNullTest(body, notNull);
  if (type === 'BooleanTest') {
    const v = evalCondition(body.arg, notNull);
    if (v === null) return null;
    return body.booltesttype === 'IS_TRUE' || body.booltesttype === 'IS_NOT_FALSE' ? v : !v;
  }
  return null;
}

/**
 * How much of a table a WHERE lets through. `none`: no WHERE at all; `always`: provably true for
 * every row; `row-blind`: it, or a branch of an OR, never looks at the row (only constants, bind
 * parameters, stable functions and other tables' columns), so it takes every row or none, decided
 * by values tripwire cannot see at Parse; `restricts`: it depends on the row, or is provably false.
 * `rowName` is what the target's columns are qualified with (its alias, else its name).
 */
export type Restriction = 'none' | 'always' | 'row-blind' | 'restricts';

export function restriction(where: unknown, notNull: (column: string) => boolean, rowName: string): Restriction {
  if (where === null || where === undefined) return 'none';
  const value = evalCondition(where, notNull);
  if (value === true) return 'always';
  if (value === false) return 'restricts';
  return rowBlind(where, rowName) ? 'row-blind' : 'restricts';
}

function rowBlind(node: unknown, rowName: string): boolean {
  if (!looksAtRow(node, rowName)) return evalCondition(node) !== false;
  const [type, body] = nodeType(node);
  // `sku = $1 OR $2`: bound to true, the second branch takes every row.
  if (type === 'BoolExpr' && body.boolop === 'OR_EXPR') return ((body.args as unknown[]) ?? []).some((arg) => rowBlind(arg, rowName));
  return false;
}

/**
 * Whether a condition can differ from row to row of the target: it reads one of the target's
 * columns (unqualified ones are taken as the target's), runs a subquery, is `CURRENT OF` a
 * cursor, or calls a function evaluated per row (random()).
 */
function looksAtRow(expr: unknown, rowName: string): boolean {
  return someNode(expr, (type, body) => {
    if (type === 'SubLink' || type === 'CurrentOfExpr') return true;
    if (type === 'FuncCall') {
      const names = strings(body.funcname as unknown[]);
      return VOLATILE.has(names[names.length - 1] ?? '');
    }
    if (type !== 'ColumnRef') return false;
    const names = strings(body.fields as unknown[]);
    return names.length < 2 || names[names.length - 2] === rowName;
  });
}
