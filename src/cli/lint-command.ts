/**
 * `tripwire lint [paths…]`: judges migration files before anything runs. Each file is its own
 * migration starting from --schema (or, with --consecutive, from where the previous file left the
 * database). Exit 0 with no unsuppressed block finding, 1 with one, 2 on a usage error or an
 * unreadable file.
 */
import type { Command } from 'commander';
import { TripwireError } from '../errors.js';
import { catalogFromSql, emptyCatalog, lintText, loadInspector, type Catalog, type InspectorState } from '../inspector/index.js';
import { formatGithub, formatSarif } from './lint-ci-formats.js';
import { expandPaths, readInput, readSchemaFile } from './lint-inputs.js';
import { formatJson, formatText, summarize, type FileReport } from './lint-report.js';

export const EXIT_CLEAN = 0;
export const EXIT_BLOCKED = 1;

const FORMATS = { text: formatText, json: formatJson, sarif: formatSarif, github: formatGithub } as const;
type Format = keyof typeof FORMATS;

export interface LintCommandOptions {
  readonly schema?: string;
  readonly format: string;
  readonly consecutive?: boolean;
}

function loadSchema(path: string | undefined): Catalog {
  if (path === undefined) return emptyCatalog('partial');
  const result = catalogFromSql(readSchemaFile(path));
  if (result.error) throw new TripwireError('TW_LINT_SCHEMA_INVALID', { path, detail: `line ${result.error.line}: ${result.error.message}` });
  return result.catalog;
}

/** Runs lint and returns the exit code; writes the report to `write`. */
export async function runLint(paths: readonly string[], options: LintCommandOptions, write: (s: string) => void): Promise<number> {
  if (!(options.format in FORMATS)) throw new TripwireError('TW_LINT_USAGE', { detail: `unknown --format "${options.format}": use text, json, sarif or github` });
  if (paths.length === 0) throw new TripwireError('TW_LINT_USAGE', { detail: 'tripwire lint needs at least one path: a .sql file, a directory, or - for stdin' });
  if (paths.filter((p) => p === '-').length > 1) throw new TripwireError('TW_LINT_USAGE', { detail: 'stdin (-) can be given only once' });
  const files = expandPaths(paths);
  const inputs = files.map(readInput);
  await loadInspector();
  const catalog = loadSchema(options.schema);
  const reports: FileReport[] = [];
  let previous: InspectorState | undefined;
  for (const input of inputs) {
    const result = lintText(input.text, options.consecutive && previous ? { previous } : { catalog });
    previous = result.state;
    reports.push({ path: input.path, text: input.text, findings: result.findings, statements: result.statements.length });
  }
  write(FORMATS[options.format as Format](reports));
  return summarize(reports).block > 0 ? EXIT_BLOCKED : EXIT_CLEAN;
}

export function registerLintCommand(program: Command): void {
  program
    .command('lint')
    .description('judge migration files: name what each statement would destroy or endanger, before anything runs')
    .argument('[paths...]', '.sql files, directories (their *.sql files, sorted), or - for stdin')
    .option('--schema <file>', 'SQL that creates what already exists (e.g. pg_dump --schema-only); without it, unknown objects are assumed to exist')
    .option('--format <format>', 'text, json, sarif or github', 'text')
    .option('--consecutive', 'apply the files in order as consecutive migrations: each starts from the database the previous one left')
    .action(async (paths: string[], options: LintCommandOptions) => {
      process.exitCode = await runLint(paths, options, (s) => process.stdout.write(s));
    });
}
