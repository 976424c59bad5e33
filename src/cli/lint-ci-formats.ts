/** lint output for CI: SARIF 2.1.0 (code scanning) and GitHub Actions workflow commands (annotations). */
import { ruleCatalogue, type Finding, type Severity } from '../inspector/index.js';
import type { FileReport } from './lint-report.js';

const VERSION = '0.1.0';

const SARIF_LEVEL: Readonly<Record<Severity, string>> = { block: 'error', warn: 'warning', info: 'note' };

function sarifResult(file: FileReport, f: Finding, ruleIndex: number): Record<string, unknown> {
  return {
    ruleId: f.rule,
    ruleIndex,
    level: SARIF_LEVEL[f.severity],
    message: { text: `${f.message}\nFix: ${f.suggestion}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: file.path.replace(/\\/g, '/') },
          region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: Math.max(f.endColumn, f.column + 1) },
        },
      },
    ],
    ...(f.suppressed ? { suppressions: [{ kind: 'inSource', justification: f.suppression?.reason ?? '' }] } : {}),
    properties: { severity: f.severity, objects: f.objects, statement: f.statement, ...(f.via ? { via: f.via } : {}) },
  };
}

export function formatSarif(files: readonly FileReport[]): string {
  const rules = ruleCatalogue();
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'tripwire',
            version: VERSION,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id,
              shortDescription: { text: r.summary },
              help: { text: `${r.summary} What to do instead, and how to authorize it: docs/rules/${r.id}.md.` },
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
              properties: { category: r.category, severity: r.severity, docs: `docs/rules/${r.id}.md` },
            })),
          },
        },
        results: files.flatMap((file) => file.findings.map((f) => sarifResult(file, f, index.get(f.rule) ?? -1))),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

/** Escaping for workflow command data and properties (see the GitHub Actions toolkit's command.ts). */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const GITHUB_COMMAND: Readonly<Record<Severity, string>> = { block: 'error', warn: 'warning', info: 'notice' };

/** One `::error file=…,line=…::message` per unsuppressed finding; GitHub turns them into annotations. */
export function formatGithub(files: readonly FileReport[]): string {
  const lines: string[] = [];
  for (const file of files) {
    for (const f of file.findings) {
      if (f.suppressed) continue;
      const props = [
        `file=${escapeProperty(file.path)}`,
        `line=${f.line}`,
        `col=${f.column}`,
        `endLine=${f.endLine}`,
        `endColumn=${Math.max(f.endColumn, f.column + 1)}`,
        `title=${escapeProperty(`tripwire ${f.rule}`)}`,
      ];
      lines.push(`::${GITHUB_COMMAND[f.severity]} ${props.join(',')}::${escapeData(`${f.message}\nFix: ${f.suggestion}`)}`);
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
