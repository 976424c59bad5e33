/**
 * The file side of `tripwire lint`: which files the paths name (directories give their *.sql
 * files, recursively, sorted), and reading them. Any path that cannot be read is a usage error
 * (exit 2) reported before anything is linted, so a typo never passes as "no findings".
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TripwireError } from '../errors.js';

export interface LintInput {
  /** As shown in reports: the path as given or found, `<stdin>` for `-`. */
  readonly path: string;
  readonly text: string;
}

function detail(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  return err instanceof Error ? err.message : String(err);
}

function sqlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw new TripwireError('TW_LINT_UNREADABLE', { path: dir, detail: detail(err) }, { cause: err });
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...sqlFilesUnder(path));
    else if (e.name.toLowerCase().endsWith('.sql')) out.push(path);
  }
  return out;
}

/** The files `paths` name, in order: each directory's *.sql files sorted by path. */
export function expandPaths(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push(p);
      continue;
    }
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (err) {
      throw new TripwireError('TW_LINT_UNREADABLE', { path: p, detail: detail(err) }, { cause: err });
    }
    if (isDir) out.push(...sqlFilesUnder(p).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    else out.push(p);
  }
  return out;
}

export function readInput(path: string): LintInput {
  try {
    if (path === '-') return { path: '<stdin>', text: readFileSync(0, 'utf8') };
    return { path, text: readFileSync(path, 'utf8') };
  } catch (err) {
    throw new TripwireError('TW_LINT_UNREADABLE', { path, detail: detail(err) }, { cause: err });
  }
}

export function readSchemaFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new TripwireError('TW_LINT_SCHEMA_INVALID', { path, detail: detail(err) }, { cause: err });
  }
}
