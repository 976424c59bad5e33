/**
 * Where a body sits in the script, and how to hand a body to the PL/pgSQL parser: it parses
 * whole CREATE FUNCTION statements, so DO blocks and stored routines are wrapped in one.
 */
import type { RoutineEntry } from '../catalog/types.js';
import { skipTrivia } from '../parse/lexer.js';
import type { Env } from './fold.js';
import { analyseBody, type BodyAnalysis } from './plpgsql.js';

/** The character offset where a string literal's content starts, given where the literal (or `AS`) starts. */
export function bodyStart(text: string, at: number): number {
  let i = at;
  if (/^as\b/i.test(text.slice(i, i + 3))) i = skipTrivia(text, i + 2);
  if (text[i] === 'E' || text[i] === 'e') i++;
  if (text[i] === "'") return i + 1;
  const tag = /^\$[A-Za-z0-9_\u0080-\uffff]*\$/.exec(text.slice(i, i + 100));
  return tag ? i + tag[0].length : i;
}

function dollarTag(body: string): string {
  let tag = '$tw$';
  for (let n = 1; body.includes(tag); n++) tag = `$tw${n}$`;
  return tag;
}

const RETURNS: Readonly<Record<NonNullable<RoutineEntry['returns']>, string>> = {
  void: 'void',
  value: 'record',
  set: 'SETOF record',
  trigger: 'trigger',
};

/** A CREATE FUNCTION (or PROCEDURE) around `body` that the PL/pgSQL parser accepts. */
export function wrapBody(body: string, params: readonly string[], returns: RoutineEntry['returns'], procedure: boolean): string {
  const tag = dollarTag(body);
  const args = params.map((p, i) => `${p ? `"${p.replace(/"/g, '""')}"` : `p${i + 1}`} text`).join(', ');
  const head = procedure ? `CREATE PROCEDURE tripwire_body(${args})` : `CREATE FUNCTION tripwire_body(${args}) RETURNS ${RETURNS[returns ?? 'value']}`;
  return `${head} LANGUAGE plpgsql AS ${tag}${body}${tag}`;
}

const CACHE_LIMIT = 256;
const cache = new Map<string, BodyAnalysis | { error: string }>();

/** Analyses a PL/pgSQL body; bodies without bound parameters are cached by their text. */
export function analyse(body: string, params: readonly string[], returns: RoutineEntry['returns'], procedure: boolean, bound: Env): BodyAnalysis | { error: string } {
  const wrapped = wrapBody(body, params, returns, procedure);
  const cacheable = bound.size === 0;
  const hit = cacheable ? cache.get(wrapped) : undefined;
  if (hit) return hit;
  const result = analyseBody(wrapped, bound);
  if (cacheable) {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(wrapped, result);
  }
  return result;
}
