import { createHash } from 'node:crypto';
import { parseSync } from 'libpg-query';
import type { Catalog } from '../../inspector/index.js';
import { schemaShape } from './schema-shape.js';

/** Parse-tree fields that say where text was, not what it means. */
const POSITION_KEYS = new Set(['location', 'stmt_location', 'stmt_len']);

/** JSON with sorted keys and without positions: the same statement however it is spelled. */
function canonical(value: unknown, skip: (key: string) => boolean): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v, skip)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value as object).filter((k) => !skip(k)).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k], skip)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/**
 * A statement's fingerprint: its parse tree without positions. Whitespace, comments and keyword
 * case do not change it; identifiers, literals and options such as CASCADE do. (libpg-query's own
 * fingerprint drops literal values, so it would let `DELETE … WHERE id = 2` ride on a plan for 1.)
 */
export function statementFingerprint(node: unknown): string {
  return sha256(canonical(node, (k) => POSITION_KEYS.has(k)));
}

/** Fingerprints of every statement of a script except transaction control, in order. */
export function scriptFingerprints(sql: string): string[] {
  // libpg-query refuses '' outright, but an empty script simply has no statements, like '-- x'.
  const stmts = sql === '' ? [] : (parseSync(sql).stmts ?? []);
  return stmts
    .map((s) => s.stmt as Record<string, unknown> | undefined)
    .filter((n): n is Record<string, unknown> => n !== undefined && !('TransactionStmt' in n))
    .map(statementFingerprint);
}

/**
 * The schema a plan was made against: tables, columns (in order), types, constraints, indexes,
 * views, types and routines. Row estimates and how complete the source was are not schema; see
 * schema-shape.ts. (Only the shape's own fields are dropped: a column called `rows` still counts.)
 */
export function schemaFingerprint(catalog: Catalog): string {
  return sha256(canonical(schemaShape(catalog), () => false));
}
