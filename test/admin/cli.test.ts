/**
 * The real binary (dist/cli/main.js): `tripwire keys`, `tripwire serve` as its own process, the
 * `tripwire ship` CI client, psql through the proxy, and a restart mid-queue.
 */
import t from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../harness/cluster.js';
import { pgBinary } from '../harness/binaries.js';
import { direct, freshDatabase, serverUrl } from '../harness/env.js';
import { testKeys } from '../harness/plan-keys.js';
import { caller } from './helpers.js';
import { stopChild } from '../harness/stop-child.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

function tripwire(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Proc {
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  stderr(): string;
}

async function startProcess(t: { teardown(fn: () => unknown): void }, args: string[], adminPort: number): Promise<Proc> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.teardown(() => stopChild(child, exited));
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${adminPort}/healthz`)).ok) break;
    } catch {
      // not yet
    }
    if (child.exitCode !== null) throw new Error(`tripwire exited ${child.exitCode}: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`tripwire did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      return exited;
    },
    stderr: () => stderr,
  };
}

t.test('keys, serve, the ship client and psql through the proxy; a restart loses nothing', async (t) => {
  const keys = await testKeys(t);
  const stateDatabase = await freshDatabase(t, 'twstate');
  const db = await freshDatabase(t, 'twcrm');
  await direct(db, "CREATE TABLE customers (id int PRIMARY KEY, phone text); INSERT INTO customers SELECT g, '555-' || g FROM generate_series(1, 200) g;");
  const dir = mkdtempSync(join(tmpdir(), 'tw-ship-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const stateUrl = serverUrl(stateDatabase);

  const none = tripwire(['keys', 'create', '--role', 'ci', '--name', 'ci']);
  t.equal(none.code, 2);
  t.match(none.stderr, /--state-url or --upstream/);
  const badRole = tripwire(['keys', 'create', '--role', 'root', '--name', 'x', '--state-url', stateUrl]);
  t.equal(badRole.code, 2);
  const ci = tripwire(['keys', 'create', '--role', 'ci', '--name', 'github', '--state-url', stateUrl]);
  t.equal(ci.code, 0, ci.stderr);
  t.match(ci.stdout, /^twk_[0-9a-f]{16}_\S{43}\n$/, 'the key alone on stdout');
  t.match(ci.stderr, /shown once/);
  const approver = tripwire(['keys', 'create', '--role', 'approver', '--name', 'bob', '--state-url', stateUrl]).stdout.trim();
  const listed = tripwire(['keys', 'list', '--state-url', stateUrl]);
  t.match(listed.stdout, /ci\s+github/);
  t.notOk(listed.stdout.includes(ci.stdout.trim()), 'list never shows a key');

  const [proxyPort, adminPort] = [await freePort(), await freePort()];
  const serveArgs = ['serve', '--listen', `127.0.0.1:${proxyPort}`, '--admin-listen', `127.0.0.1:${adminPort}`, '--upstream', serverUrl(), '--state-url', stateUrl, '--plan-signing-key', keys.privatePath, '--skip-rehearsal', '--log-level', 'warn'];
  let serve = await startProcess(t, serveArgs, adminPort);
  const api = `http://127.0.0.1:${adminPort}`;
  const env = { TRIPWIRE_API_URL: api, TRIPWIRE_API_KEY: ci.stdout.trim() };

  const deployed = tripwire(['ship', 'deployed', '--target', db, '--revision', 'abc0'], env);
  t.equal(deployed.code, 0, deployed.stderr);
  t.match(deployed.stdout, /recorded abc0 as live/);
  writeFileSync(join(dir, '001_phones.sql'), 'CREATE TABLE customer_phones (customer_id int, phone text);\nINSERT INTO customer_phones SELECT id, phone FROM customers;\n');
  writeFileSync(join(dir, '002_drop_phone.sql'), 'ALTER TABLE customers DROP COLUMN phone;\n');
  const submitted = tripwire(['ship', 'submit', dir, '--title', 'split phones', '--author', 'carol', '--revision', 'abc1', '--base-revision', 'abc0', '--target', db, '--json'], env);
  t.equal(submitted.code, 0, submitted.stderr);
  const id = JSON.parse(submitted.stdout).change.id as number;
  t.same(JSON.parse(submitted.stdout).change.migrations.map((m: { name: string }) => m.name), ['001_phones.sql', '002_drop_phone.sql']);

  const refused = tripwire(['ship', 'release', String(id)], env);
  t.equal(refused.code, 1, 'a refused release exits 1');
  t.match(refused.stdout, /was not released/);
  t.match(refused.stdout, /approvals\s+pending\s+1 block finding: needs 1 approval, has 0/);
  const status = tripwire(['ship', 'status', String(id)], env);
  t.equal(status.code, 0);
  t.match(status.stdout, new RegExp(`change #${id} split phones \\(schema, ${db}, abc1 on abc0\\): queued`));
  t.match(status.stdout, /block 002_drop_phone.sql:1:1 drop-column/);

  t.equal(await serve.stop(), 0, 'SIGTERM stops serve cleanly');
  serve = await startProcess(t, serveArgs, adminPort);
  const ownKey = tripwire(['ship', 'approve', String(id)], env);
  t.equal(ownKey.code, 2, 'a ci key cannot approve');
  t.match(ownKey.stderr, /403|approver/);
  const rejectWithoutWhy = tripwire(['ship', 'reject', String(id)], { ...env, TRIPWIRE_API_KEY: approver });
  t.equal(rejectWithoutWhy.code, 2, 'reject needs --comment: a usage error');
  t.match(rejectWithoutWhy.stderr, /--comment/);
  const approved = tripwire(['ship', 'approve', String(id), '--comment', 'copy verified'], { ...env, TRIPWIRE_API_KEY: approver });
  t.equal(approved.code, 0, approved.stderr);
  t.match(approved.stdout, /approved by bob: copy verified/, 'after a restart the change is still there, and takes the approval');
  const released = tripwire(['ship', 'release', String(id)], env);
  t.equal(released.code, 0, released.stderr);
  t.match(released.stdout, /plan token \(published to the proxies; a runner needs nothing in its URL\):\ney/);

  const psql = spawnSync(pgBinary('psql'), [`postgres://postgres@127.0.0.1:${proxyPort}/${db}`, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-1', '-f', join(dir, '001_phones.sql'), '-f', join(dir, '002_drop_phone.sql')], { encoding: 'utf8' });
  t.equal(psql.status, 0, psql.stderr);
  t.match(psql.stderr, /allowed by plan/);
  t.same(await direct(db, 'SELECT count(*)::int AS n FROM customer_phones'), [{ n: 200 }]);
  const plan = tripwire(['ship', 'status', '--target', db], env);
  t.equal(plan.code, 0);
  const after = tripwire(['ship', 'status', String(id), '--json'], env);
  t.equal(JSON.parse(after.stdout).change.status, 'applied');

  const unreachable = tripwire(['ship', 'status', '--api', 'http://127.0.0.1:1'], { TRIPWIRE_API_KEY: 'x' });
  t.equal(unreachable.code, 2);
  t.match(unreachable.stderr, /tripwire: GET http:\/\/127.0.0.1:1\/api\/plan failed/);
  const unauthorized = tripwire(['ship', 'status'], { TRIPWIRE_API_URL: api, TRIPWIRE_API_KEY: '' });
  t.equal(unauthorized.code, 2);
  t.match(unauthorized.stderr, /401 TW_API_UNAUTHORIZED/);
  t.equal(await serve.stop(), 0);
});

t.test('tripwire admin runs the API alone', async (t) => {
  const stateDatabase = await freshDatabase(t, 'twstate');
  const adminPort = await freePort();
  const admin = await startProcess(t, ['admin', '--upstream', serverUrl(), '--state-url', serverUrl(stateDatabase), '--admin-listen', `127.0.0.1:${adminPort}`, '--log-level', 'warn'], adminPort);
  const ready = await caller(`http://127.0.0.1:${adminPort}`)('GET', '/readyz');
  t.same(ready.body, { status: 'ready', upstream: true, state: true });
  t.equal(await admin.stop(), 0);
  const missing = tripwire(['admin', '--admin-listen', '127.0.0.1:0']);
  t.equal(missing.code, 2);
  t.match(missing.stderr, /--upstream/);
  const noState = tripwire(['admin', '--upstream', serverUrl(), '--state-url', 'postgres://postgres@127.0.0.1:1/x', '--admin-listen', '127.0.0.1:0']);
  t.equal(noState.code, 2);
  t.match(noState.stderr, /the state database 127.0.0.1:1 is unreachable/);
});
