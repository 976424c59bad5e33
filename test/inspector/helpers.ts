/**
 * Shared by the inspector tests: the parser loaded once, the corpus schema as a catalog, and the
 * `ok` / `violations` helpers the rule tests use over SQL snippets.
 */
import { readFileSync } from 'node:fs';
import type { Test } from 'tap';
import { catalogFromSql, lintText, loadInspector, type Catalog, type Finding } from '../../src/inspector/index.js';

await loadInspector();

export const SCHEMA_SQL = readFileSync(new URL('./corpus/schema.sql', import.meta.url), 'utf8');

const schema = catalogFromSql(SCHEMA_SQL);
if (schema.error) throw new Error(`corpus schema does not parse: line ${schema.error.line}: ${schema.error.message}`);

/** The corpus database: customers, orders, order_items, sessions, audit_log, billing.*, … */
export const CATALOG: Catalog = schema.catalog;

/** Lints `sql` as one migration against the corpus database (or `catalog`). */
export function lint(sql: string, catalog: Catalog = CATALOG): readonly Finding[] {
  return lintText(sql, { catalog }).findings;
}

/** `rule@line objects…` for every finding of `rule`. */
export function violations(sql: string, rule: string, catalog: Catalog = CATALOG): string[] {
  return lint(sql, catalog)
    .filter((f) => f.rule === rule)
    .map((f) => `${f.rule}@${f.line} ${f.objects.join(' ')}`.trim());
}

/** Asserts that `sql` has no finding of `rule`. */
export function ok(t: Test, sql: string, rule: string, catalog: Catalog = CATALOG): void {
  t.same(violations(sql, rule, catalog), [], `no ${rule}: ${sql.replace(/\s+/g, ' ').slice(0, 80)}`);
}

/** The single finding of `rule`, for tests that look at its message or suggestion. */
export function only(sql: string, rule: string, catalog: Catalog = CATALOG): Finding {
  const found = lint(sql, catalog).filter((f) => f.rule === rule);
  if (found.length !== 1) throw new Error(`expected one ${rule}, got ${found.length}: ${sql}`);
  return found[0]!;
}
