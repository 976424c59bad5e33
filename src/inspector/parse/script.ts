/**
 * Splits a script into statements with exact character offsets. The whole text is parsed once;
 * only when that fails is it cut at top-level semicolons so that every statement around a syntax
 * error is still judged and the error itself is placed where it is.
 */
import type { Node } from 'libpg-query';
import { contentEnd, lex, skipTrivia, topLevelSemicolons } from './lexer.js';
import { TextMap } from './positions.js';
import { parseSql } from './wasm.js';

export type ScriptItem =
  | {
      readonly kind: 'statement';
      readonly type: string;
      readonly node: Record<string, unknown>;
      readonly start: number;
      readonly end: number;
      /** Turns a node `location` (bytes in the text the parser saw) into a character offset in the script. */
      readonly toChar: (byte: number) => number;
    }
  | { readonly kind: 'error'; readonly message: string; readonly start: number; readonly end: number; readonly at: number }
  | { readonly kind: 'meta'; readonly command: string; readonly start: number; readonly end: number };

export interface ParsedScript {
  readonly text: string;
  readonly map: TextMap;
  readonly items: ScriptItem[];
}

/** Splits a node wrapper `{ AlterTableStmt: {...} }` into its type and body. */
export function unwrap(node: Node | Record<string, unknown>): [string, Record<string, unknown>] {
  for (const key in node) return [key, (node as Record<string, Record<string, unknown>>)[key]!];
  return ['', {}];
}

/** psql meta-commands cannot reach the server; they are cut out (a `;` keeps statements apart). */
function blankMetaCommands(text: string, metas: ScriptItem[]): string {
  if (!text.includes('\\')) return text;
  const ranges: [number, number][] = [];
  lex(text, { meta: (start, end) => ranges.push([start, end]) });
  if (ranges.length === 0) return text;
  let out = '';
  let last = 0;
  for (const [start, end] of ranges) {
    const command = text.slice(start, end).replace(/\r$/, '');
    metas.push({ kind: 'meta', command, start, end: start + command.length });
    out += text.slice(last, start) + ';' + ' '.repeat(end - start - 1);
    last = end;
  }
  return out + text.slice(last);
}

function statementItems(source: string, map: TextMap, base: number, stmts: readonly { stmt?: Node; stmt_location?: number; stmt_len?: number }[]): ScriptItem[] {
  const items: ScriptItem[] = [];
  for (const raw of stmts) {
    if (!raw.stmt) continue;
    const byteStart = raw.stmt_location ?? 0;
    const start = map.charAt(byteStart);
    const end = raw.stmt_len ? map.charAt(byteStart + raw.stmt_len) : map.text.length;
    const first = skipTrivia(source, base + start, base + end);
    const [type, node] = unwrap(raw.stmt);
    items.push({ kind: 'statement', type, node, start: first, end: contentEnd(source, first, base + end), toChar: (b) => base + map.charAt(b) });
  }
  return items;
}

const ATOMIC_BODY = /\bbegin\s+atomic\b/i;
/** How many semicolons a BEGIN ATOMIC body may hold before the split gives up on it. */
const MAX_ATOMIC_CHUNKS = 200;
/** How many widened parses one script may try in all: keeps bad input from costing chunks × chunks parses. */
const WIDENING_BUDGET = 400;

/**
 * Parses the chunks between top-level semicolons one by one. A chunk that opens a BEGIN ATOMIC
 * body holds semicolons of its own, so it is widened over the following chunks until it parses.
 */
function parseChunks(source: string, cuts: number[]): ScriptItem[] {
  const items: ScriptItem[] = [];
  const cutAt = (i: number): number => (i < cuts.length ? cuts[i]! : source.length);
  let from = 0;
  let ci = 0;
  let budget = WIDENING_BUDGET;
  while (from < source.length) {
    let to = cutAt(ci++);
    const start = skipTrivia(source, from, to);
    if (start >= to) {
      from = to + 1;
      continue;
    }
    let outcome = parseSql(source.slice(start, to));
    if (!outcome.ok && outcome.error.message.includes('end of input') && ATOMIC_BODY.test(source.slice(start, to))) {
      for (let wi = ci; wi <= Math.min(cuts.length, ci + MAX_ATOMIC_CHUNKS) && budget > 0; wi++, budget--) {
        const widened = parseSql(source.slice(start, cutAt(wi)));
        if (widened.ok) {
          outcome = widened;
          to = cutAt(wi);
          ci = wi + 1;
          break;
        }
      }
    }
    const map = new TextMap(source.slice(start, to));
    if (outcome.ok) {
      items.push(...statementItems(source, map, start, outcome.result.stmts ?? []));
    } else {
      // "at end of input" points past trailing comments: pull it back to the last token.
      const end = contentEnd(source, start, to);
      const at = Math.min(start + map.charAt(outcome.error.position), Math.max(start, end - 1));
      items.push({ kind: 'error', message: outcome.error.message, start, end, at });
    }
    from = to + 1;
  }
  return items;
}

/** Parses a script. Never throws on bad input: syntax errors and meta-commands become items. */
export function parseScript(text: string): ParsedScript {
  const map = new TextMap(text);
  const metas: ScriptItem[] = [];
  const source = blankMetaCommands(text, metas);
  let items: ScriptItem[];
  if (skipTrivia(source, 0) >= source.length) {
    items = [];
  } else {
    const whole = parseSql(source);
    items = whole.ok ? statementItems(source, new TextMap(source), 0, whole.result.stmts ?? []) : parseChunks(source, topLevelSemicolons(source));
  }
  if (metas.length > 0) items = [...items, ...metas].sort((a, b) => a.start - b.start);
  return { text, map, items };
}
