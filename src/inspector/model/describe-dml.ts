/**
 * SELECT, INSERT, UPDATE, DELETE, MERGE, COPY and EXPLAIN ANALYZE. One walk over the tree finds
 * the relations read, the data-modifying statements nested in WITH, and calls to functions the
 * catalog knows (so a call is judged by the body it runs).
 */
import type { RangeVar } from 'libpg-query';
import { resolveIn } from '../catalog/names.js';
import type { QName } from '../catalog/types.js';
import type { Describer } from './describer.js';
import { as, constOf, defElem, nodeType, strings, type AnyNode } from './nodes.js';

const MODIFYING = new Set(['DeleteStmt', 'UpdateStmt', 'InsertStmt', 'MergeStmt']);
const MAX_DEPTH = 400;

interface Walk {
  readonly d: Describer;
  readonly ctes: Set<string>;
  readonly reads: { q: QName; unqualified: string | undefined }[];
}

function noteCall(w: Walk, body: AnyNode): void {
  const names = strings(body.funcname as unknown[]);
  const name = names[names.length - 1] ?? '';
  const schema = names.length > 1 ? names[names.length - 2] : undefined;
  const args = (body.args as AnyNode[]) ?? [];
  if (name === 'set_config' && (schema === undefined || schema === 'pg_catalog')) noteSetConfig(w.d, args);
  if (schema === 'pg_catalog') return;
  const r = resolveIn(w.d.catalog, w.d.searchPath, 'routines', schema, name);
  if (r.found) w.d.change({ op: 'call', routine: r.q, args, location: Number(body.location ?? 0) });
}

/** `set_config('search_path', '…', false)`, as pg_dump writes it. */
function noteSetConfig(d: Describer, args: AnyNode[]): void {
  const values = args.map((a) => {
    const c = as<AnyNode>(a, 'A_Const');
    return c ? constOf(c) : undefined;
  });
  const [name, value, local] = values;
  if (name?.kind !== 'string' || value?.kind !== 'string') return;
  d.change({ op: 'set', name: name.value.toLowerCase(), values: [value.value], local: local?.kind === 'bool' && local.value });
}

function walk(w: Walk, node: unknown, depth: number): void {
  if (node === null || typeof node !== 'object' || depth > MAX_DEPTH) return;
  if (Array.isArray(node)) {
    for (const item of node) walk(w, item, depth + 1);
    return;
  }
  for (const key in node as AnyNode) {
    const value = (node as AnyNode)[key] as AnyNode;
    if (key === 'RangeVar') {
      const rv = value as RangeVar;
      w.reads.push({ q: w.d.target(rv).q, unqualified: rv.schemaname ? undefined : rv.relname });
    } else if (MODIFYING.has(key)) {
      describeModify(w, key, value, true, depth + 1);
    } else if (key === 'CommonTableExpr') {
      w.ctes.add(String(value.ctename ?? ''));
      walk(w, value, depth + 1);
    } else if (key === 'FuncCall') {
      noteCall(w, value);
      walk(w, value, depth + 1);
    } else if (typeof value === 'object') {
      walk(w, value, depth + 1);
    }
  }
}

function describeModify(w: Walk, type: string, n: AnyNode, inCte: boolean, depth: number): void {
  const rv = n.relation as RangeVar | undefined;
  const t = w.d.target(rv);
  w.d.lock(t.q, 'ROW EXCLUSIVE');
  const location = Number(rv?.location ?? 0);
  const rowName = rv?.alias?.aliasname ?? t.q.name;
  if (type === 'DeleteStmt') {
    w.d.change({ op: 'delete', table: t, rowName, where: (n.whereClause as AnyNode) ?? null, inCte, location });
  } else if (type === 'UpdateStmt') {
    const sets = ((n.targetList as unknown[]) ?? []).map((item) => {
      const rt = as<AnyNode>(item, 'ResTarget') ?? {};
      const multi = as<AnyNode>(rt.val, 'MultiAssignRef');
      const row = multi && as<{ args?: AnyNode[] }>(multi.source, 'RowExpr');
      const value = multi ? (row?.args?.[Number(multi.colno ?? 1) - 1] ?? (multi.source as AnyNode)) : (rt.val as AnyNode);
      return { column: String(rt.name ?? ''), value };
    });
    w.d.change({ op: 'update', table: t, rowName, where: (n.whereClause as AnyNode) ?? null, sets, inCte, location });
  }
  for (const key in n) if (key !== 'relation') walk(w, n[key], depth + 1);
}

function finishReads(w: Walk): void {
  for (const r of w.reads) {
    if (r.unqualified !== undefined && w.ctes.has(r.unqualified)) continue;
    w.d.read(r.q);
  }
}

const KINDS: Readonly<Record<string, string>> = { SelectStmt: 'SELECT', InsertStmt: 'INSERT', UpdateStmt: 'UPDATE', DeleteStmt: 'DELETE', MergeStmt: 'MERGE' };

/** Describes a query statement; `type` is its node type. */
export function describeQuery(d: Describer, type: string, n: AnyNode): void {
  d.kind ||= KINDS[type] ?? type;
  const w: Walk = { d, ctes: new Set(), reads: [] };
  if (MODIFYING.has(type)) describeModify(w, type, n, false, 0);
  else for (const key in n) if (key !== 'intoClause') walk(w, n[key], 1);
  finishReads(w);
  const into = n.intoClause as { rel?: RangeVar } | undefined;
  if (type === 'SelectStmt' && into?.rel) {
    d.kind = 'SELECT INTO';
    d.change({ op: 'create-table', table: d.target(into.rel), columns: [], constraints: [], persistence: into.rel.relpersistence === 't' ? 'temporary' : 'permanent', columnsKnown: false });
  }
}

export function describeCopy(d: Describer, n: AnyNode): void {
  d.kind = 'COPY';
  if (n.query) {
    const [type, body] = nodeType(n.query);
    describeQuery(d, type, body);
    d.kind = 'COPY';
    return;
  }
  const t = d.target(n.relation as RangeVar);
  if (n.is_from) d.lock(t.q, 'ROW EXCLUSIVE');
  else d.read(t.q);
}

/** EXPLAIN runs its statement only with ANALYZE; then it is judged like the statement itself. */
export function describeExplain(d: Describer, n: AnyNode): void {
  const analyze = defElem(n.options as unknown[], 'analyze');
  const off = as<{ sval?: string }>(analyze, 'String')?.sval === 'false' || as<AnyNode>(analyze, 'Boolean')?.boolval === false;
  d.kind = 'EXPLAIN';
  if (analyze === undefined || off) return;
  const [type, body] = nodeType(n.query);
  describeQuery(d, type, body);
  d.kind = 'EXPLAIN ANALYZE';
}
