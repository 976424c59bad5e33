/**
 * What the schema cannot say: rule ids must be in the inspector's registry, dynamic-sql is governed
 * by `unresolvedDynamicSql` alone, durations have a ceiling, and a scope must set something.
 * Runs on the raw data even when the schema failed, so all problems are reported together.
 */
import { fieldPath, type Locator, type Segment } from './positions.js';
import { DYNAMIC_SQL_RULE, knownRules } from './rule-ids.js';
import { didYouMean } from './suggest.js';
import type { PolicyIssue } from './types.js';

const MAX_LOCK_TIMEOUT_MS = 24 * 60 * 60 * 1000;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000 };
const SCOPE_SETTINGS = ['severity', 'rules', 'emptyObjects', 'unresolvedDynamicSql'];

/** `5s` → 5000; null when it is not a duration the schema accepts. */
export function parseDuration(text: string): number | null {
  const m = /^([1-9][0-9]{0,7})(ms|s|min|h)$/.exec(text);
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : null;
}

type Report = (path: readonly Segment[], message: string, opts?: { key?: boolean }) => void;

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The schema's ruleId pattern: ids that fail it are reported by the schema, not twice. */
const RULE_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

function checkRuleId(id: string, path: readonly Segment[], report: Report, key: boolean): void {
  const known = knownRules();
  if (!RULE_ID.test(id)) return;
  if (id === DYNAMIC_SQL_RULE) {
    report(path, `${DYNAMIC_SQL_RULE} cannot be set here: use unresolvedDynamicSql (hold, or warn) instead`, { key });
  } else if (!known.has(id)) {
    report(path, `unknown rule id "${id}"${didYouMean(id, known.keys())}`, { key });
  }
}

function checkRuleMap(map: unknown, at: readonly Segment[], report: Report): void {
  if (!isRecord(map)) return;
  for (const id of Object.keys(map)) checkRuleId(id, [...at, id], report, true);
}

function checkScopes(scopes: unknown, report: Report): void {
  if (!Array.isArray(scopes)) return;
  scopes.forEach((scope: unknown, i) => {
    if (!isRecord(scope)) return;
    checkRuleMap(scope.rules, ['scopes', i, 'rules'], report);
    if (!SCOPE_SETTINGS.some((k) => k in scope)) {
      report(['scopes', i], `sets nothing: give it ${SCOPE_SETTINGS.join(', ')} or remove it`);
    }
  });
}

function checkExemptions(exemptions: unknown, report: Report): void {
  if (!Array.isArray(exemptions)) return;
  exemptions.forEach((ex: unknown, i) => {
    if (!isRecord(ex) || !Array.isArray(ex.rules)) return;
    ex.rules.forEach((id: unknown, j) => {
      if (typeof id === 'string') checkRuleId(id, ['exemptions', i, 'rules', j], report, false);
    });
  });
}

export function semanticIssues(data: unknown, loc: Locator, file: string): PolicyIssue[] {
  const out: PolicyIssue[] = [];
  const report: Report = (path, message, opts) => {
    const where = loc.place(path, opts);
    out.push({ file, line: where.line, column: where.column, path: fieldPath(path), message });
  };
  if (!isRecord(data)) return out;
  checkRuleMap(data.rules, ['rules'], report);
  checkScopes(data.scopes, report);
  checkExemptions(data.exemptions, report);
  if (typeof data.lockTimeout === 'string') {
    const ms = parseDuration(data.lockTimeout);
    if (ms !== null && ms > MAX_LOCK_TIMEOUT_MS) report(['lockTimeout'], `must be at most 24h, got "${data.lockTimeout}"`);
  }
  return out;
}
