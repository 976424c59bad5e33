/**
 * Constant folding for the string an EXECUTE runs: `'DROP TABLE ' || quote_ident(v)` with v
 * known is a constant, and then tripwire can parse and judge it. Anything it cannot fold is
 * unknown, never guessed.
 */
import { quoteIdent } from '../catalog/names.js';
import { constOf, nodeType, strings, type AnyNode } from '../model/nodes.js';
import { parseSql } from '../parse/wasm.js';

/** A folded value: a string, SQL NULL, or undefined when it cannot be known. */
export type Folded = string | null | undefined;

/** Variables and parameters with known values; a name mapped to undefined is known to be unknown. */
export type Env = ReadonlyMap<string, Folded>;

function quoteLiteral(s: string): string {
  const escaped = s.replace(/'/g, "''");
  return s.includes('\\') ? `E'${escaped.replace(/\\/g, '\\\\')}'` : `'${escaped}'`;
}

/** PostgreSQL's format(): %s, %I, %L, %%, with optional n$ positions. */
function format(fmt: string, args: Folded[]): Folded {
  let out = '';
  let next = 0;
  for (let i = 0; i < fmt.length; i++) {
    if (fmt[i] !== '%') {
      out += fmt[i];
      continue;
    }
    const m = /^(?:(\d+)\$)?(-?\d*)([sIL%])/.exec(fmt.slice(i + 1));
    if (!m) return undefined;
    i += m[0].length;
    if (m[3] === '%') {
      out += '%';
      continue;
    }
    const arg = args[m[1] ? Number(m[1]) - 1 : next++];
    if (arg === undefined) return undefined;
    if (m[3] === 'I') {
      if (arg === null) return undefined;
      out += quoteIdent(arg);
    } else if (m[3] === 'L') out += arg === null ? 'NULL' : quoteLiteral(arg);
    else out += arg ?? '';
  }
  return out;
}

function foldCall(body: AnyNode, env: Env, depth: number): Folded {
  const name = strings(body.funcname as unknown[]).pop() ?? '';
  const args = ((body.args as unknown[]) ?? []).map((a) => foldNode(a, env, depth + 1));
  const known = !args.includes(undefined);
  switch (name) {
    case 'format':
      return typeof args[0] === 'string' ? format(args[0], args.slice(1)) : undefined;
    case 'quote_ident':
      return typeof args[0] === 'string' ? quoteIdent(args[0]) : undefined;
    case 'quote_literal':
    case 'quote_nullable':
      return args[0] === null ? (name === 'quote_nullable' ? 'NULL' : null) : typeof args[0] === 'string' ? quoteLiteral(args[0]) : undefined;
    case 'concat':
      return known ? args.filter((a) => a !== null).join('') : undefined;
    case 'concat_ws':
      return known && typeof args[0] === 'string' ? args.slice(1).filter((a) => a !== null).join(args[0]) : undefined;
    case 'lower':
      return typeof args[0] === 'string' ? args[0].toLowerCase() : known ? null : undefined;
    case 'upper':
      return typeof args[0] === 'string' ? args[0].toUpperCase() : known ? null : undefined;
    default:
      return undefined;
  }
}

function foldNode(node: unknown, env: Env, depth: number): Folded {
  if (depth > 50) return undefined;
  const [type, body] = nodeType(node);
  switch (type) {
    case 'A_Const': {
      const c = constOf(body);
      return c.kind === 'null' ? null : c.kind === 'number' ? c.text : String(c.value);
    }
    case 'TypeCast':
      return foldNode(body.arg, env, depth + 1);
    case 'A_Expr': {
      if (strings(body.name as unknown[]).pop() !== '||') return undefined;
      const l = foldNode(body.lexpr, env, depth + 1);
      const r = foldNode(body.rexpr, env, depth + 1);
      if (l === undefined || r === undefined) return undefined;
      return l === null || r === null ? null : l + r;
    }
    case 'ColumnRef': {
      const names = strings(body.fields as unknown[]);
      return names.length === 1 ? env.get(names[0]!) : undefined;
    }
    case 'ParamRef':
      return env.get(`$${String(body.number ?? 0)}`);
    case 'FuncCall':
      return foldCall(body, env, depth);
    case 'CoalesceExpr': {
      for (const arg of (body.args as unknown[]) ?? []) {
        const v = foldNode(arg, env, depth + 1);
        if (v !== null) return v;
      }
      return null;
    }
    default:
      return undefined;
  }
}

/** Folds an expression written as PL/pgSQL text (`'DROP TABLE ' || v`). */
export function foldExpression(expr: string, env: Env): Folded {
  const parsed = parseSql(`SELECT ${expr}`);
  if (!parsed.ok) return undefined;
  const [type, select] = nodeType(parsed.result.stmts?.[0]?.stmt);
  if (type !== 'SelectStmt' || parsed.result.stmts?.length !== 1) return undefined;
  const targets = (select.targetList as unknown[]) ?? [];
  if (targets.length !== 1 || select.fromClause) return undefined;
  const [, target] = nodeType(targets[0]);
  return foldNode(target.val, env, 0);
}

/** Folds an already parsed expression node (a call's argument). */
export function foldArgument(node: unknown, env: Env = new Map()): Folded {
  return foldNode(node, env, 0);
}
