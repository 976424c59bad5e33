/** Display names (`schema.table.column`, quoted where needed) taken apart and shortened. */
import { parseObjectName } from '../policy/match.js';

/** A dotted display name's identifiers, unquoted: `[schema, table]` or `[schema, table, column]`; else the name alone. */
export function splitDisplayName(name: string): string[] {
  const o = parseObjectName(name);
  if (!o) return [name];
  return o.column === undefined ? [o.schema, o.table] : [o.schema, o.table, o.column];
}

/** `public.customers.phone` → `customers.phone`: the public schema goes without saying. */
export function shortName(display: string): string {
  return display.startsWith('public.') ? display.slice('public.'.length) : display;
}

/** Is `declared` (as a user wrote it, with or without `public.`) the column `display`? */
export function sameColumn(declared: string, display: string): boolean {
  const d = declared.trim();
  return d === display || d === shortName(display) || `public.${d}` === display;
}
