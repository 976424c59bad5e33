/**
 * Lints a change's migrations at submission, against the target's live catalog: the findings
 * approvers see, the statements the proxy will hold (which the plan token must cover), and the
 * effect on the database's shape.
 */
import { createHash } from 'node:crypto';
import { lintText, RULES_BY_ID, type Catalog, type Finding, type InspectorState, type StatementFacts } from '../inspector/index.js';
import { effectOf } from './effect.js';
import type { DestructiveStatement, Effect, Migration, StoredFinding } from './types.js';

export interface LintedChange {
  findings: StoredFinding[];
  destructive: DestructiveStatement[];
  effect: Effect;
}

export function checksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

export function withChecksums(migrations: ReadonlyArray<{ name: string; sql: string }>): Migration[] {
  return migrations.map((m) => ({ name: m.name, sql: m.sql, checksum: checksum(m.sql) }));
}

/** A finding the proxy holds under the default policy: block severity, or data loss. */
function destructive(f: Finding): boolean {
  const meta = RULES_BY_ID.get(f.rule);
  if (!meta || meta.category === 'input' || meta.category === 'directive') return false;
  return f.severity === 'block' || meta.category === 'data-loss';
}

function stored(migration: string, f: Finding): StoredFinding {
  return {
    migration,
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    line: f.line,
    column: f.column,
    statement: f.statement,
    objects: [...f.objects],
    suggestion: f.suggestion,
    suppressed: f.suppressed,
  };
}

interface Located {
  migration: Migration;
  index: number;
  sql: string;
}

export function lintChange(migrations: readonly Migration[], live: Catalog): LintedChange {
  const findings: StoredFinding[] = [];
  const held = new Map<string, DestructiveStatement>();
  const perFile: StatementFacts[][] = [];
  let state: InspectorState | undefined;
  const add = (loc: Located, rule: string) => {
    const key = `${loc.migration.name}\0${loc.index}`;
    const entry = held.get(key) ?? { migration: loc.migration.name, statement: loc.index, sql: loc.sql, rules: [] };
    if (!entry.rules.includes(rule)) entry.rules.push(rule);
    held.set(key, entry);
  };
  for (const m of migrations) {
    const result = lintText(m.sql, state ? { previous: state } : { catalog: live });
    state = result.state;
    perFile.push([...result.statements]);
    for (const f of result.findings) {
      findings.push(stored(m.name, f));
      const s = result.statements.find((x) => x.index === f.statement);
      if (s && destructive(f)) add({ migration: m, index: s.index, sql: m.sql.slice(s.offset, s.offset + s.length) }, f.rule);
    }
  }
  // The proxy sees a runner's migrations in one transaction: a DROP in one file and an ADD in the
  // next is a rename-as-drop there. Judge them together too, so the token covers what it holds.
  const starts: number[] = [];
  let combined = '';
  for (const m of migrations) {
    starts.push(combined.length);
    combined += m.sql + '\n;\n';
  }
  if (migrations.length > 1) {
    const together = lintText(combined, { catalog: live });
    for (const f of together.findings) {
      const s = together.statements.find((x) => x.index === f.statement);
      if (!s || !destructive(f)) continue;
      let i = starts.length - 1;
      while (i > 0 && starts[i]! > s.offset) i--;
      const own = perFile[i]!.find((x) => x.offset === s.offset - starts[i]!);
      if (own) add({ migration: migrations[i]!, index: own.index, sql: migrations[i]!.sql.slice(own.offset, own.offset + own.length) }, f.rule);
    }
  }
  const order = new Map(migrations.map((m, i) => [m.name, i]));
  const destructiveStatements = [...held.values()].sort((a, b) => order.get(a.migration)! - order.get(b.migration)! || a.statement - b.statement);
  return { findings, destructive: destructiveStatements, effect: effectOf(live, state?.catalog ?? live) };
}
