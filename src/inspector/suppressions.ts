/**
 * `-- tripwire:allow <rule-id> <reason>` directives. A directive covers the statement it sits in
 * or the next one after it, and only the rule it names. The reason is required, an unknown rule
 * id is an error, and a directive that suppresses nothing is reported, so stale allows do not pile
 * up. Only lint honours directives: at the proxy, a comment in the SQL must never authorize anything.
 */
import { sortFindings } from './engine/output.js';
import { lex } from './parse/lexer.js';
import type { TextMap } from './parse/positions.js';
import { RULES_BY_ID } from './rules/registry.js';
import type { Finding, Span, StatementFacts } from './types.js';

const PREFIX = 'tripwire:';

interface Directive {
  readonly span: Span;
  readonly rule: string;
  readonly reason: string;
  /** Why the directive is invalid, if it is. */
  readonly problem?: string;
}

function spanOf(map: TextMap, start: number, end: number): Span {
  const a = map.lineCol(start);
  const b = map.lineCol(end);
  return { offset: start, length: end - start, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

function parseDirective(map: TextMap, start: number, end: number): Directive | undefined {
  const body = map.text.slice(start + 2, end).trim();
  if (!body.startsWith(PREFIX)) return undefined;
  const span = spanOf(map, start, end);
  const [verb = '', rule = '', ...rest] = body.slice(PREFIX.length).split(/\s+/);
  const reason = rest.join(' ').trim();
  if (verb !== 'allow') return { span, rule, reason, problem: `unknown directive "tripwire:${verb}" (the only one is tripwire:allow <rule-id> <reason>)` };
  if (!rule) return { span, rule, reason, problem: 'tripwire:allow needs a rule id and a reason' };
  const meta = RULES_BY_ID.get(rule);
  if (!meta) return { span, rule, reason, problem: `tripwire:allow names an unknown rule "${rule}"` };
  if (meta.category === 'directive') return { span, rule, reason, problem: `${rule} cannot be allowed` };
  if (!reason) return { span, rule, reason, problem: `tripwire:allow ${rule} needs a reason after the rule id` };
  return { span, rule, reason };
}

function directives(map: TextMap): Directive[] {
  const out: Directive[] = [];
  if (!map.text.includes(PREFIX)) return out;
  lex(map.text, {
    lineComment: (start, end) => {
      const d = parseDirective(map, start, end);
      if (d) out.push(d);
    },
  });
  return out;
}

/** The statement a directive covers: the one it sits in, or the first one after it. */
function covered(d: Directive, statements: readonly StatementFacts[]): StatementFacts | undefined {
  return statements.find((s) => s.offset + s.length > d.span.offset);
}

function directiveFinding(rule: 'allow-invalid' | 'allow-unused', d: Directive, message: string, statement: number): Finding {
  const meta = RULES_BY_ID.get(rule)!;
  return {
    rule,
    severity: meta.severity,
    message,
    ...d.span,
    statement,
    objects: [],
    suppressed: false,
    suggestion: rule === 'allow-unused' ? 'Remove the directive.' : 'Write it as -- tripwire:allow <rule-id> <reason>, with a rule id from docs/rules/.',
  };
}

/** Marks findings covered by directives as suppressed, and reports invalid and unused directives. */
export function applySuppressions(map: TextMap, statements: readonly StatementFacts[], findings: readonly Finding[]): Finding[] {
  const out = findings.map((f) => ({ ...f }));
  const extra: Finding[] = [];
  for (const d of directives(map)) {
    const target = covered(d, statements);
    const index = target?.index ?? statements.length;
    if (d.problem) {
      extra.push(directiveFinding('allow-invalid', d, d.problem, index));
      continue;
    }
    let used = false;
    out.forEach((f, i) => {
      if (target && f.statement === target.index && f.rule === d.rule && !f.suppressed) {
        out[i] = { ...f, suppressed: true, suppression: { reason: d.reason, line: d.span.line } };
        used = true;
      }
    });
    if (!used) extra.push(directiveFinding('allow-unused', d, `tripwire:allow ${d.rule} suppressed nothing: the statement after it has no ${d.rule} finding`, index));
  }
  return sortFindings([...out, ...extra]);
}
