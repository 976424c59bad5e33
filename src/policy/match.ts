/**
 * Matching scopes and exemptions: glob patterns against the session (database, role,
 * application_name) and against one object a finding names (schema.table[.column]).
 */
import type { DecisionContext, Match } from './types.js';

/** An object a finding names, split into its parts (unquoted), with its table's display name. */
export interface ObjectName {
  readonly display: string;
  readonly schema: string;
  readonly table: string;
  readonly column?: string;
  /** `schema.table` as displayed (quoted where needed), also for a column. */
  readonly tableDisplay: string;
}

/** Splits a display name on dots outside double quotes; `""` inside quotes is one `"`. */
export function parseObjectName(display: string): ObjectName | null {
  const parts: string[] = [];
  const raws: string[] = [];
  let cur = '';
  let start = 0;
  let quoted = false;
  for (let i = 0; i < display.length; i++) {
    const ch = display[i]!;
    if (quoted) {
      if (ch === '"' && display[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === '.') {
      parts.push(cur);
      raws.push(display.slice(start, i));
      cur = '';
      start = i + 1;
    } else cur += ch;
  }
  parts.push(cur);
  raws.push(display.slice(start));
  if (quoted || parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) return null;
  const [schema, table, column] = parts as [string, string, string | undefined];
  const tableDisplay = `${raws[0]}.${raws[1]}`;
  return column === undefined ? { display, schema, table, tableDisplay } : { display, schema, table, column, tableDisplay };
}

const compiled = new Map<string, RegExp>();

/** `*` is any run of characters, `?` one character; everything else is literal. Case-sensitive. */
export function globToRegExp(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (re) return re;
  const body = pattern.replace(/[.+^${}()|[\]\\*?]/g, (c) => (c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`));
  re = new RegExp(`^${body}$`, 's');
  if (compiled.size >= 4096) compiled.clear();
  compiled.set(pattern, re);
  return re;
}

function anyMatches(patterns: readonly string[] | undefined, value: string | undefined): boolean {
  if (patterns === undefined) return true;
  if (value === undefined) return false;
  return patterns.some((p) => globToRegExp(p).test(value));
}

/**
 * Every key the match gives must match; absent keys match anything. A key about objects (schema,
 * table, column) never matches a finding without an object, and `column` never matches a table.
 * A session value that is unknown (undefined) matches no pattern.
 */
export function matches(match: Match, ctx: DecisionContext, object: ObjectName | null): boolean {
  return (
    anyMatches(match.database, ctx.database) &&
    anyMatches(match.role, ctx.role) &&
    anyMatches(match.applicationName, ctx.applicationName) &&
    anyMatches(match.schema, object?.schema) &&
    anyMatches(match.table, object?.table) &&
    anyMatches(match.column, object?.column)
  );
}
