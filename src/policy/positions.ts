/**
 * From a path in the parsed data (JSON-pointer segments) back to a line and column in the YAML
 * text, through the document's node ranges and a LineCounter.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type Segment = string | number;

export interface Place {
  readonly line: number;
  readonly column: number;
}

export interface Locator {
  /** Where the value at `path` is; `key: true` asks for its key in the parent mapping instead. */
  place(path: readonly Segment[], opts?: { key?: boolean }): Place;
  placeOfOffset(offset: number): Place;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' || typeof key === 'number' ? String(key) : undefined;
}

function deref(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

/** The deepest node along the path, and the key node of the last step when there is one. */
function walk(doc: Document, path: readonly Segment[]): { node: Node | null; key: Node | null; complete: boolean } {
  let node = deref(doc, doc.contents) as Node | null;
  let key: Node | null = null;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(seg));
      if (!pair) return { node, key: null, complete: false };
      key = (pair.key as Node | null) ?? null;
      const value = deref(doc, pair.value) as Node | null;
      // `reason:` with nothing after it: the key is the place to point at.
      const blank = value === null || (isScalar(value) && value.value === null && value.range?.[0] === value.range?.[1]);
      if (blank) return { node: key ?? node, key, complete: true };
      node = value;
    } else if (isSeq(node)) {
      const item = deref(doc, node.items[Number(seg)]) as Node | undefined;
      if (!item) return { node, key: null, complete: false };
      node = item;
      key = null;
    } else {
      return { node, key: null, complete: false };
    }
  }
  return { node, key, complete: true };
}

export function locator(doc: Document, lines: LineCounter): Locator {
  const placeOfOffset = (offset: number): Place => {
    const pos = lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  return {
    placeOfOffset,
    place(path, opts = {}) {
      const found = walk(doc, path);
      const target = opts.key && found.complete && found.key ? found.key : found.node;
      const range = target?.range;
      return range ? placeOfOffset(range[0]) : { line: 1, column: 1 };
    },
  };
}

/** `rules.drop-colum`, `exemptions[0].reason`; `(policy)` for the whole document. */
export function fieldPath(path: readonly Segment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out === '' ? '(policy)' : out;
}

/** JSON pointer (`/scopes/0/match`) to segments; array indices become numbers. */
export function pointerSegments(pointer: string, data: unknown): Segment[] {
  if (pointer === '') return [];
  const out: Segment[] = [];
  let cur: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      out.push(Number(seg));
      cur = cur[Number(seg)];
    } else {
      out.push(seg);
      cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}
