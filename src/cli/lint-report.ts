/**
 * lint's human and JSON output. The JSON shape is a contract other tools read:
 * `{"files":[{"path","findings":[{"rule","severity","message","line","column","statement","objects","suppressed",…}]}],"summary":{"block","warn","info"}}`.
 * Fields may be added, never renamed or removed.
 */
import type { Finding } from '../inspector/index.js';
import { TextMap } from '../inspector/parse/positions.js';

export interface FileReport {
  readonly path: string;
  readonly text: string;
  readonly findings: readonly Finding[];
  readonly statements: number;
}

export interface Summary {
  block: number;
  warn: number;
  info: number;
  suppressed: number;
}

export function summarize(files: readonly FileReport[]): Summary {
  const s: Summary = { block: 0, warn: 0, info: 0, suppressed: 0 };
  for (const f of files) {
    for (const finding of f.findings) {
      if (finding.suppressed) s.suppressed++;
      else s[finding.severity]++;
    }
  }
  return s;
}

function jsonFinding(f: Finding): Record<string, unknown> {
  return {
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    statement: f.statement,
    objects: f.objects,
    suppressed: f.suppressed,
    suggestion: f.suggestion,
    ...(f.action ? { action: f.action } : {}),
    ...(f.via ? { via: f.via } : {}),
    ...(f.cascade ? { cascade: f.cascade } : {}),
    ...(f.suppression ? { suppression: f.suppression } : {}),
  };
}

export function formatJson(files: readonly FileReport[]): string {
  const body = {
    files: files.map((f) => ({ path: f.path, statements: f.statements, findings: f.findings.map(jsonFinding) })),
    summary: summarize(files),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

const MAX_SHOWN_LINES = 4;

/** The lines of the finding's span, each with a row of ^ under the part the finding is about. */
function excerpt(map: TextMap, f: Finding): string[] {
  const out: string[] = [];
  const last = Math.min(f.endLine, f.line + MAX_SHOWN_LINES - 1);
  const width = String(last).length;
  for (let line = f.line; line <= last; line++) {
    const text = map.lineText(line).replace(/\t/g, ' ');
    const from = line === f.line ? f.column - 1 : text.length - text.trimStart().length;
    const to = line === f.endLine ? Math.max(from + 1, f.endColumn - 1) : text.trimEnd().length;
    out.push(`  ${String(line).padStart(width)} | ${text}`);
    out.push(`  ${' '.repeat(width)} | ${' '.repeat(from)}${'^'.repeat(Math.max(1, Math.min(to, text.length) - from))}`);
  }
  if (f.endLine > last) out.push(`  ${' '.repeat(width)} | …`);
  return out;
}

export function formatText(files: readonly FileReport[]): string {
  const lines: string[] = [];
  for (const file of files) {
    const map = new TextMap(file.text);
    for (const f of file.findings) {
      const label = f.suppressed ? `allowed ${f.rule}` : `${f.severity} ${f.rule}`;
      lines.push(`${file.path}:${f.line}:${f.column}: ${label}: ${f.message}`);
      if (f.suppressed) {
        lines.push(`  allowed: ${f.suppression?.reason ?? ''}`);
        continue;
      }
      lines.push(...excerpt(map, f));
      lines.push(`  fix: ${f.suggestion}`, '');
    }
  }
  const s = summarize(files);
  const n = files.length;
  lines.push(`${s.block} block, ${s.warn} warn, ${s.info} info${s.suppressed ? `, ${s.suppressed} allowed` : ''} in ${n} file${n === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}
