/**
 * Name resolution the way PostgreSQL does it: an unqualified name is looked up along the
 * search_path (temporary objects first), and a new object lands in the first schema of the path
 * that exists. Names are already case-folded by the parser; quoting only matters for display.
 */
import { entry } from './records.js';
import type { Catalog, QName, SchemaEntry } from './types.js';

export const DEFAULT_SEARCH_PATH: readonly string[] = Object.freeze(['$user', 'public']);

/** Yes: it exists. No: the catalog is complete and it is not there. Unknown: the catalog is partial. */
export type Existence = 'yes' | 'no' | 'unknown';

const PLAIN_IDENT = /^[a-z_][a-z0-9_$]*$/;

/** An identifier as it would have to be written: quoted unless it is plain lower case. */
export function quoteIdent(name: string): string {
  return PLAIN_IDENT.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

const DISPLAY_CACHE_LIMIT = 4096;
const displayCache = new Map<string, string>();

/** `schema.name` quoted as needed; names repeat on every statement, so the result is cached. */
function qualified(schema: string, name: string): string {
  const key = `${schema}\u0000${name}`;
  let out = displayCache.get(key);
  if (out === undefined) {
    if (displayCache.size >= DISPLAY_CACHE_LIMIT) displayCache.clear();
    out = `${quoteIdent(schema)}.${quoteIdent(name)}`;
    displayCache.set(key, out);
  }
  return out;
}

/** `public.customers`, or `public.customers.phone` with a column. */
export function displayName(q: QName, column?: string): string {
  const base = qualified(q.schema, q.name);
  return column === undefined ? base : `${base}.${quoteIdent(column)}`;
}

/** How a relation was written in the statement: `customers`, or `billing.invoices`. */
export function writtenName(schema: string | undefined, name: string): string {
  return schema ? `${quoteIdent(schema)}.${quoteIdent(name)}` : quoteIdent(name);
}

export function sameName(a: QName, b: QName): boolean {
  return a.schema === b.schema && a.name === b.name;
}

function schemasToSearch(searchPath: readonly string[]): string[] {
  const out = ['pg_temp'];
  for (const s of searchPath) if (s !== '$user' && s !== 'pg_temp' && !out.includes(s)) out.push(s);
  return out;
}

/** The schema a new object without a schema name is created in. */
export function creationSchema(catalog: Catalog, searchPath: readonly string[]): string {
  const candidates = searchPath.filter((s) => s !== '$user' && s !== 'pg_temp' && s !== 'pg_catalog');
  const existing = candidates.find((s) => entry(catalog.schemas, s) !== undefined);
  return existing ?? candidates[0] ?? 'public';
}

type RelationPart = 'tables' | 'views' | 'sequences' | 'indexes';
const RELATION_PARTS: readonly RelationPart[] = ['tables', 'views', 'sequences', 'indexes'];

export interface ResolvedRelation {
  readonly q: QName;
  /** Which kind of relation the name found, or null when it found nothing. */
  readonly found: RelationPart | null;
}

function findIn(schema: SchemaEntry | undefined, name: string): RelationPart | null {
  if (!schema) return null;
  for (const part of RELATION_PARTS) if (entry(schema[part], name) !== undefined) return part;
  return null;
}

/** Resolves a relation name (table, view, sequence or index) against the catalog and search_path. */
export function resolveRelation(catalog: Catalog, searchPath: readonly string[], schema: string | undefined, name: string, temporary = false): ResolvedRelation {
  if (schema) return { q: { schema, name }, found: findIn(entry(catalog.schemas, schema), name) };
  for (const s of schemasToSearch(searchPath)) {
    const found = findIn(entry(catalog.schemas, s), name);
    if (found) return { q: { schema: s, name }, found };
  }
  return { q: { schema: temporary ? 'pg_temp' : creationSchema(catalog, searchPath), name }, found: null };
}

/** Resolves a name in one schema part (types, routines) along the search_path. */
export function resolveIn(catalog: Catalog, searchPath: readonly string[], part: 'types' | 'routines', schema: string | undefined, name: string): { q: QName; found: boolean } {
  if (schema) return { q: { schema, name }, found: entry(entry(catalog.schemas, schema)?.[part], name) !== undefined };
  for (const s of schemasToSearch(searchPath)) {
    if (entry(entry(catalog.schemas, s)?.[part], name) !== undefined) return { q: { schema: s, name }, found: true };
  }
  return { q: { schema: creationSchema(catalog, searchPath), name }, found: false };
}

export function existence(catalog: Catalog, found: boolean): Existence {
  if (found) return 'yes';
  return catalog.completeness === 'complete' ? 'no' : 'unknown';
}
