/**
 * Small readers for libpg-query's JSON parse tree. The tree leaves out zero values and false
 * flags (protobuf style), so `ival: {}` is 0 and a missing boolean is false.
 */
import type { Node } from 'libpg-query';

export type AnyNode = Record<string, unknown>;

/** The body of a node wrapper if it is of type `type`: `as(node, 'ColumnRef')`. */
export function as<T = AnyNode>(node: unknown, type: string): T | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  return (node as Record<string, T>)[type];
}

/** The single key of a node wrapper and its body. */
export function nodeType(node: unknown): [string, AnyNode] {
  if (node !== null && typeof node === 'object') {
    for (const key in node as AnyNode) return [key, (node as Record<string, AnyNode>)[key]!];
  }
  return ['', {}];
}

/** The `sval`s of a list of String nodes: `[pg_catalog, int4]`. */
export function strings(list: readonly unknown[] | undefined): string[] {
  const out: string[] = [];
  for (const item of list ?? []) {
    const s = as<{ sval?: string }>(item, 'String');
    if (s) out.push(s.sval ?? '');
  }
  return out;
}

/** The items of a `{ List: { items } }` node, or the array itself. */
export function listItems(node: unknown): unknown[] {
  if (Array.isArray(node)) return node;
  return as<{ items?: unknown[] }>(node, 'List')?.items ?? [];
}

export type ConstValue = { kind: 'string'; value: string } | { kind: 'number'; value: number; text: string } | { kind: 'bool'; value: boolean } | { kind: 'null' };

/** The value of an A_Const body. */
export function constOf(c: AnyNode): ConstValue {
  if (c.isnull) return { kind: 'null' };
  if (c.sval) return { kind: 'string', value: (c.sval as { sval?: string }).sval ?? '' };
  if (c.ival) {
    const v = (c.ival as { ival?: number }).ival ?? 0;
    return { kind: 'number', value: v, text: String(v) };
  }
  if (c.fval) {
    const text = (c.fval as { fval?: string }).fval ?? '0';
    return { kind: 'number', value: Number(text), text };
  }
  if (c.boolval) return { kind: 'bool', value: (c.boolval as { boolval?: boolean }).boolval === true };
  if (c.bsval) return { kind: 'string', value: (c.bsval as { bsval?: string }).bsval ?? '' };
  return { kind: 'number', value: 0, text: '0' };
}

/** A DefElem's argument in a list of options: `defElem(options, 'language')`. */
export function defElem(options: readonly unknown[] | undefined, name: string): unknown {
  for (const opt of options ?? []) {
    const d = as<{ defname?: string; arg?: unknown }>(opt, 'DefElem');
    if (d?.defname === name) return d.arg ?? true;
  }
  return undefined;
}

/** The first `location` found in a node, depth first: where an inner statement starts. */
export function firstLocation(node: unknown, depth = 0): number | undefined {
  if (node === null || typeof node !== 'object' || depth > 6) return undefined;
  const loc = (node as AnyNode).location;
  if (typeof loc === 'number' && loc >= 0) return loc;
  for (const key in node as AnyNode) {
    const found = firstLocation((node as AnyNode)[key], depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

export type { Node };
