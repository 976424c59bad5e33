import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Debian installs the server tools under /usr/lib/postgresql/<major>/bin and only
 * the client wrappers on PATH, so a fresh CI machine has psql but no initdb on PATH.
 */
function candidateDirs(): string[] {
  const fromPath = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const debianRoot = '/usr/lib/postgresql';
  const debian = existsSync(debianRoot)
    ? readdirSync(debianRoot)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => join(debianRoot, v, 'bin'))
    : [];
  return [...fromPath, ...debian];
}

const cache = new Map<string, string>();

/** Absolute path of a PostgreSQL program, or a clear error naming what to install. */
export function pgBinary(name: string): string {
  const hit = cache.get(name);
  if (hit) return hit;
  for (const dir of candidateDirs()) {
    const path = join(dir, name);
    if (existsSync(path)) {
      cache.set(name, path);
      return path;
    }
  }
  throw new Error(`${name} not found on PATH or under /usr/lib/postgresql/*/bin: install the postgresql package`);
}
