/**
 * Collects findings and statement facts for one inspect call, placing each finding in the text.
 * A frame says where the statement being judged sits: a top-level statement, or a statement
 * hidden in a DO block, a function body, a prepared statement or an EXECUTE string.
 */
import type { TextMap } from '../parse/positions.js';
import { RULES_BY_ID } from '../rules/registry.js';
import type { Report } from '../rules/types.js';
import type { Finding, Span, StatementFacts } from '../types.js';

export interface Frame {
  /** 1-based index of the top-level statement. */
  readonly statement: number;
  /** Where findings go by default. */
  readonly span: Span;
  /** Set for hidden statements. */
  readonly via?: string;
  /** Maps a node location (bytes in the parse text) to a character offset, when locations can be trusted. */
  readonly toChar?: (byte: number) => number;
}

type MutableFinding = { -readonly [K in keyof Finding]: Finding[K] };

export class Output {
  readonly findings: MutableFinding[] = [];
  readonly statements: StatementFacts[] = [];

  constructor(readonly map: TextMap) {}

  /** The span of `[start, end)` in the text. */
  span(start: number, end: number): Span {
    const a = this.map.lineCol(start);
    const b = this.map.lineCol(Math.max(start, end));
    return { offset: start, length: Math.max(0, end - start), line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }

  /** The span of the rest of the line from `start`, within `limit`. */
  lineSpan(start: number, limit: Span): Span {
    const nl = this.map.text.indexOf('\n', start);
    const end = Math.min(nl === -1 ? this.map.text.length : nl, limit.offset + limit.length);
    return this.span(start, Math.max(start, end));
  }

  private place(frame: Frame, location: number | undefined): Span {
    if (location === undefined || !frame.toChar) return frame.span;
    const at = frame.toChar(location);
    if (at < frame.span.offset || at > frame.span.offset + frame.span.length) return frame.span;
    return this.lineSpan(at, frame.span);
  }

  add(rule: string, frame: Frame, r: Report): void {
    const meta = RULES_BY_ID.get(rule);
    const message = frame.via ? `${r.message} (inside the ${frame.via})` : r.message;
    const finding: MutableFinding = {
      rule,
      severity: meta?.severity ?? 'block',
      message,
      ...this.place(frame, r.location),
      statement: frame.statement,
      objects: [...r.objects],
      suppressed: false,
      suggestion: r.suggestion,
      ...(r.action ? { action: r.action } : {}),
      ...(r.cascade && r.cascade.length > 0 ? { cascade: [...r.cascade] } : {}),
      ...(frame.via ? { via: frame.via } : {}),
    };
    if (r.supersedes && this.supersede(finding, r.supersedes)) return;
    this.findings.push(finding);
  }

  /** Turns an earlier finding of this call into `finding`, keeping the earlier place. */
  private supersede(finding: MutableFinding, target: { rule: string; object: string }): boolean {
    const i = this.findings.findIndex((f) => f.rule === target.rule && f.objects[0] === target.object);
    if (i === -1) return false;
    const old = this.findings[i]!;
    this.findings[i] = { ...finding, offset: old.offset, length: old.length, line: old.line, column: old.column, endLine: old.endLine, endColumn: old.endColumn, statement: old.statement };
    return true;
  }

  sorted(): Finding[] {
    return sortFindings(this.findings);
  }
}

const RANK = { block: 0, warn: 1, info: 2 } as const;

/** In statement order, then place; at the same place the most severe first. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => a.statement - b.statement || a.offset - b.offset || RANK[a.severity] - RANK[b.severity]);
}
