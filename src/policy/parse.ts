/**
 * One policy text → a validated fragment (its data plus where each setting was written), or every
 * problem found in it. YAML syntax first; then the schema and the semantic checks together.
 */
import { LineCounter, parseDocument } from 'yaml';
import { semanticIssues } from './checks.js';
import { locator, type Locator, type Segment } from './positions.js';
import { policyValidator } from './schema.js';
import { schemaIssues } from './schema-issues.js';
import type { Action, DynamicSqlAction, EmptyObjectsAction, Mode, PolicyIssue, Severity, SourceRef } from './types.js';
import type { ProxyLimits } from '../proxy/limits.js';

/** Larger texts are refused before parsing: a policy is a page of settings, not a data set. */
export const MAX_POLICY_BYTES = 1024 * 1024;

export type RawPatterns = string | readonly string[];
export type RawMatch = Partial<Record<'database' | 'schema' | 'table' | 'column' | 'role' | 'applicationName', RawPatterns>>;

export interface RawSettings {
  readonly severity?: Partial<Record<Severity, Action>>;
  readonly rules?: Record<string, Action>;
  readonly emptyObjects?: EmptyObjectsAction;
  readonly unresolvedDynamicSql?: DynamicSqlAction;
}

/** The data of a file that passed the schema and the checks. */
export interface RawPolicy extends RawSettings {
  readonly version: 1;
  readonly mode?: Mode;
  readonly lockTimeout?: string;
  readonly limits?: Partial<ProxyLimits>;
  readonly scopes?: readonly (RawSettings & { readonly name?: string; readonly match: RawMatch })[];
  readonly exemptions?: readonly { readonly rules: readonly string[]; readonly match: RawMatch; readonly reason: string }[];
}

export interface Fragment {
  readonly file: string;
  readonly data: RawPolicy;
  /** Where a value was written: the line of the key (or list item) at `path`. */
  source(path: readonly Segment[]): SourceRef;
}

export type ParseResult = { readonly ok: true; readonly fragment: Fragment } | { readonly ok: false; readonly issues: readonly PolicyIssue[] };

function byPlace(a: PolicyIssue, b: PolicyIssue): number {
  return a.line - b.line || a.column - b.column;
}

function yamlIssues(doc: ReturnType<typeof parseDocument>, loc: Locator, file: string): PolicyIssue[] {
  return [...doc.errors, ...doc.warnings].map((e) => {
    const where = loc.placeOfOffset(e.pos[0]);
    return { file, line: where.line, column: where.column, path: '(yaml)', message: `YAML: ${e.message.split('\n')[0]}` };
  });
}

/** Parses and validates one policy text. `file` names it in issues: a path, or a name for an upload. */
export function parsePolicyText(text: string, file: string): ParseResult {
  if (Buffer.byteLength(text, 'utf8') > MAX_POLICY_BYTES) {
    return { ok: false, issues: [{ file, line: 1, column: 1, path: '(file)', message: `is larger than ${MAX_POLICY_BYTES} bytes` }] };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const loc = locator(doc, lines);
  const syntax = yamlIssues(doc, loc, file);
  if (syntax.length > 0) return { ok: false, issues: syntax.sort(byPlace) };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { ok: false, issues: [{ file, line: 1, column: 1, path: '(yaml)', message: `YAML: ${(err as Error).message}` }] };
  }
  if (data === null || data === undefined) {
    return { ok: false, issues: [{ file, line: 1, column: 1, path: '(policy)', message: 'is empty: a policy needs at least "version: 1"' }] };
  }
  const validate = policyValidator();
  const issues = validate(data) ? [] : schemaIssues(validate.errors ?? [], data, loc, file);
  issues.push(...semanticIssues(data, loc, file));
  if (issues.length > 0) return { ok: false, issues: issues.sort(byPlace) };
  const fragment: Fragment = {
    file,
    data: data as RawPolicy,
    source: (path) => ({ file, line: loc.place(path, { key: true }).line }),
  };
  return { ok: true, fragment };
}
