import t from 'tap';
import pg from 'pg';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase, serverUrl } from '../harness/env.js';
import { startTestProxy } from '../harness/proxy.js';
import { parseUpstreamUrl } from '../../src/config/upstream.js';
import { DEFAULT_LIMITS } from '../../src/proxy/limits.js';
import { startProxy } from '../../src/proxy/server.js';
import { pgBinary } from '../harness/binaries.js';
import { serialize } from '../harness/frontend.js';
import { fields, WireClient } from '../harness/wire.js';

t.test('graceful shutdown: idle sessions end at once, a transaction may finish first', async (t) => {
  const db = await freshDatabase(t);
  const proxy = await startTestProxy(t);
  const idle = new pg.Client({ connectionString: proxy.url(db) });
  const busy = new pg.Client({ connectionString: proxy.url(db) });
  const idleErrors: string[] = [];
  idle.on('error', (e) => idleErrors.push((e as { code?: string }).code ?? e.message));
  busy.on('error', () => undefined);
  await idle.connect();
  await busy.connect();
  await busy.query('BEGIN');
  await busy.query('CREATE TABLE finished (x int)');

  const closing = proxy.server.close({ timeoutMs: 10_000 });
  await new Promise((r) => setTimeout(r, 300));
  t.equal(idleErrors[0], '57P01', 'the idle session was told why (57P01) and closed');
  t.equal(proxy.server.sessionCount, 1, 'the session inside a transaction is still open');
  await busy.query('INSERT INTO finished VALUES (1)');
  await busy.query('COMMIT');
  await closing;
  t.equal(proxy.server.sessionCount, 0, 'it closed once its transaction ended');
  const check = new pg.Client({ connectionString: serverUrl(db) });
  await check.connect();
  t.same((await check.query('SELECT count(*)::int AS n FROM finished')).rows, [{ n: 1 }], 'its work was committed');
  await check.end();
});

t.test('graceful shutdown gives up after the timeout', async (t) => {
  const db = await freshDatabase(t);
  const proxy = await startTestProxy(t);
  const stuck = new pg.Client({ connectionString: proxy.url(db) });
  const errors: string[] = [];
  stuck.on('error', (e) => errors.push((e as { code?: string }).code ?? e.message));
  await stuck.connect();
  await stuck.query('BEGIN');
  await proxy.server.close({ timeoutMs: 200 });
  t.equal(proxy.server.sessionCount, 0);
  await new Promise((r) => setTimeout(r, 100));
  t.equal(errors[0], '57P01', 'the lingering transaction was closed with 57P01');
});

t.test('TLS termination with --tls-cert/--tls-key', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tw-tls-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  const db = await freshDatabase(t);
  const server = await startProxy(
    { listen: { host: '127.0.0.1', port: 0 }, upstream: parseUpstreamUrl(serverUrl()), limits: DEFAULT_LIMITS,
      tls: { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) } },
  );
  t.teardown(() => server.close({ timeoutMs: 0 }));
  const port = server.address.port;

  // The proxy runs in this process: the client must not block the event loop.
  const psql = (...args: string[]) => promisify(execFile)(pgBinary('psql'), [`postgres://postgres@127.0.0.1:${port}/${db}?sslmode=require`, ...args]);
  t.equal((await psql('-Atc', 'SELECT 1')).stdout.trim(), '1', 'psql with sslmode=require works through the proxy');
  const info = (await psql('-c', '\\conninfo')).stdout;
  t.match(info, /SSL connection/, 'and the client side really is TLS');

  const c = await WireClient.open(port);
  t.teardown(() => c.close());
  c.send(Buffer.concat([serialize.requestSsl(), serialize.startup({ user: 'postgres', database: db })]));
  // Refused before any 'S': injected plaintext never meets a handshake (PostgreSQL refuses it after one).
  const m = await c.next();
  t.match(m && fields(m.body), { S: 'FATAL', C: '08P01', M: /unencrypted data after SSL request/ }, 'plaintext sent after SSLRequest is rejected');
});
