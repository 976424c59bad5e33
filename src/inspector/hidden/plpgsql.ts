/**
 * Reads a PL/pgSQL body (parsed by libpg-query's PL/pgSQL parser) for the SQL it runs: plain
 * statements, PERFORM and CALL, and EXECUTE strings, each with its line in the body. Variables
 * with one constant value are folded so `EXECUTE 'DROP TABLE ' || v` can be judged.
 */
import { parsePlpgsql } from '../parse/wasm.js';
import { foldExpression, type Env, type Folded } from './fold.js';

export type BodyStatement =
  | { readonly kind: 'sql'; readonly sql: string; readonly line: number }
  | { readonly kind: 'dynamic'; readonly expr: string; readonly line: number };

export interface BodyAnalysis {
  readonly statements: readonly BodyStatement[];
  /** Variables with a single known constant value. */
  readonly constants: ReadonlyMap<string, string | null>;
}

type Obj = Record<string, unknown>;

function exprText(node: unknown): string | undefined {
  const e = (node as Obj | undefined)?.PLpgSQL_expr as { query?: string } | undefined;
  return e?.query;
}

function refname(node: unknown): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  for (const key in node as Obj) return ((node as Obj)[key] as { refname?: string }).refname;
  return undefined;
}

interface Collector {
  statements: BodyStatement[];
  assignments: Map<string, string[]>;
  /** Targets of INTO, FOR loops and the like: never constant. */
  clobbered: Set<string>;
}

/** `v := expr` → [v, expr]; the target ends at the first top-level `:=` or `=`. */
function splitAssignment(query: string): [string, string] | undefined {
  let at = -1;
  for (let i = 0; i < query.length && at === -1; i++) {
    if (query[i] === "'" || query[i] === '"') return undefined;
    if (query.startsWith(':=', i)) at = i;
    else if (query[i] === '=') at = i;
  }
  if (at === -1) return undefined;
  const target = query.slice(0, at).trim().toLowerCase();
  const rhs = query.slice(at + (query[at] === ':' ? 2 : 1));
  return /^[a-z_][a-z0-9_$]*$/.test(target) ? [target, rhs] : undefined;
}

function visitStatement(c: Collector, type: string, s: Obj): void {
  const line = Number(s.lineno ?? 1);
  const sql = (q: string | undefined) => q !== undefined && c.statements.push({ kind: 'sql', sql: q, line });
  const dynamic = (q: string | undefined) => q !== undefined && c.statements.push({ kind: 'dynamic', expr: q, line });
  switch (type) {
    case 'PLpgSQL_stmt_execsql':
    case 'PLpgSQL_stmt_perform':
    case 'PLpgSQL_stmt_call':
      sql(exprText(s.sqlstmt ?? s.expr));
      break;
    case 'PLpgSQL_stmt_fors':
    case 'PLpgSQL_stmt_open':
    case 'PLpgSQL_stmt_return_query':
      sql(exprText(s.query));
      dynamic(exprText(s.dynquery));
      break;
    case 'PLpgSQL_stmt_dynexecute':
    case 'PLpgSQL_stmt_dynfors':
      dynamic(exprText(s.query));
      break;
    case 'PLpgSQL_stmt_assign': {
      const split = splitAssignment(exprText(s.expr) ?? '');
      if (split) c.assignments.set(split[0], [...(c.assignments.get(split[0]) ?? []), split[1]]);
      break;
    }
  }
  const loopVar = refname(s.var);
  if (loopVar) c.clobbered.add(loopVar.toLowerCase());
  const target = s.target as Obj | undefined;
  const row = target?.PLpgSQL_row as { fields?: { name?: string }[] } | undefined;
  for (const f of row?.fields ?? []) if (f.name) c.clobbered.add(f.name.toLowerCase());
  const rec = refname(target);
  if (rec && !row) c.clobbered.add(rec.toLowerCase());
}

function walk(c: Collector, node: unknown, depth: number): void {
  if (!node || typeof node !== 'object' || depth > 200) return;
  if (Array.isArray(node)) {
    for (const item of node) walk(c, item, depth + 1);
    return;
  }
  for (const key in node as Obj) {
    const value = (node as Obj)[key];
    if (key.startsWith('PLpgSQL_stmt_')) visitStatement(c, key, value as Obj);
    if (value && typeof value === 'object') walk(c, value, depth + 1);
  }
}

function constants(fn: Obj, c: Collector, params: Env): Map<string, string | null> {
  const out = new Map<string, string | null>();
  const env = new Map<string, Folded>(params);
  for (const datum of (fn.datums as Obj[]) ?? []) {
    const v = datum.PLpgSQL_var as { refname?: string; default_val?: unknown; lineno?: number } | undefined;
    if (!v?.refname || v.lineno === undefined) continue;
    const name = v.refname.toLowerCase();
    const assigned = c.assignments.get(name) ?? [];
    const def = exprText(v.default_val);
    const sources = [...(def !== undefined ? [def] : []), ...assigned];
    if (c.clobbered.has(name) || sources.length !== 1) continue;
    const value = foldExpression(sources[0]!, env);
    if (value !== undefined) {
      out.set(name, value);
      env.set(name, value);
    }
  }
  return out;
}

/** Parses and reads the body of a PL/pgSQL function; `wrapped` is a whole CREATE FUNCTION statement. */
export function analyseBody(wrapped: string, params: Env): BodyAnalysis | { error: string } {
  const parsed = parsePlpgsql(wrapped);
  if (!parsed.ok) return { error: parsed.error.message };
  const fn = parsed.functions[0]?.PLpgSQL_function;
  if (!fn) return { error: 'no PL/pgSQL function found' };
  const c: Collector = { statements: [], assignments: new Map(), clobbered: new Set() };
  walk(c, fn.action, 0);
  return { statements: c.statements, constants: constants(fn, c, params) };
}
