import t from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import pg from 'pg';
import { freePort } from '../harness/cluster.js';
import { serverUrl } from '../harness/env.js';

const bin = new URL('../../dist/cli/main.js', import.meta.url).pathname;

function runCli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20_000 });
}

t.test('bad configuration: one clear line on stderr and exit code 2', async (t) => {
  const cases: Array<[string, string[], Record<string, string>, RegExp]> = [
    ['an unparsable upstream URL', ['proxy', '--upstream', 'not a url'], {}, /^tripwire: invalid upstream URL "not a url": not a URL\n$/],
    ['a non-postgres scheme', ['proxy', '--upstream', 'mysql://h/db'], {}, /scheme must be postgres:\/\//],
    ['a bad sslmode', ['proxy', '--upstream', 'postgres://h/db?sslmode=sometimes'], {}, /sslmode must be one of/],
    ['no upstream at all', ['proxy'], {}, /--upstream \(or TRIPWIRE_UPSTREAM\) is required/],
    ['a bad listen address', ['proxy', '--upstream', 'postgres://h/db', '--listen', 'nowhere'], {}, /--listen must be host:port/],
    ['a limit out of range', ['proxy', '--upstream', 'postgres://h/db', '--max-message-bytes', '12'], {}, /maxMessageBytes must be an integer from 1024/],
    ['a bad value from the environment', ['proxy'], { TRIPWIRE_UPSTREAM: 'postgres://h/db', TRIPWIRE_LISTEN: 'x' }, /--listen must be host:port/],
  ];
  for (const [name, args, env, stderr] of cases) {
    const res = runCli(args, env);
    t.equal(res.status, 2, `${name}: exit 2`);
    t.match(res.stderr, stderr, `${name}: says why`);
    t.equal(res.stderr.trim().split('\n').length, 1, `${name}: one line`);
  }
});

t.test('a busy port: exit 2 naming the address', async (t) => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  t.teardown(() => blocker.close());
  const port = (blocker.address() as { port: number }).port;
  const res = runCli(['proxy', '--listen', `127.0.0.1:${port}`, '--upstream', 'postgres://127.0.0.1:1/x']);
  t.equal(res.status, 2);
  t.match(res.stderr, new RegExp(`cannot listen on 127.0.0.1:${port}: address already in use`));
});

t.test('flags come from the environment; SIGTERM shuts down cleanly with exit 0', async (t) => {
  const port = await freePort();
  const child = spawn(process.execPath, [bin, 'proxy'], {
    env: { ...process.env, TRIPWIRE_LISTEN: `127.0.0.1:${port}`, TRIPWIRE_UPSTREAM: serverUrl(), TRIPWIRE_LOG_LEVEL: 'info', TRIPWIRE_AUDIT_LOG: '-' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.teardown(() => child.kill('SIGKILL'));
  let logs = '';
  child.stdout.on('data', (c) => (logs += c));
  for (let i = 0; i < 100 && !logs.includes('"ready"'); i++) await new Promise((r) => setTimeout(r, 100));
  t.match(logs, /"msg":"proxy listening"/);

  const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`, application_name: 'cli-test' });
  await client.connect();
  t.same((await client.query('SELECT 41 + 1 AS answer')).rows, [{ answer: 42 }]);
  await client.end();

  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  child.kill('SIGTERM');
  t.equal(await exit, 0);
  const lines = logs.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  t.ok(lines.every((l) => typeof l.level === 'number' && typeof l.msg === 'string'), 'every log line is structured JSON');
  t.ok(lines.some((l) => l.msg === 'session ready' && l.application_name === 'cli-test' && typeof l.conn === 'string'), 'sessions are logged with a connection id');
  t.ok(lines.some((l) => l.msg === 'proxy stopped'));
});

t.test('secrets stay out of the logs', async (t) => {
  const port = await freePort();
  const child = spawn(process.execPath, [bin, 'proxy', '--listen', `127.0.0.1:${port}`, '--upstream', serverUrl(), '--log-level', 'trace', '--audit-log', '-'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.teardown(() => child.kill('SIGKILL'));
  let logs = '';
  child.stdout.on('data', (c) => (logs += c));
  for (let i = 0; i < 100 && !logs.includes('"ready"'); i++) await new Promise((r) => setTimeout(r, 100));
  const client = new pg.Client({
    connectionString: `postgres://tw_scram:scram-secret-1@127.0.0.1:${port}/postgres`,
    options: '-c tripwire.plan=secret-token-value',
  });
  await client.connect();
  await client.end();
  await new Promise((r) => setTimeout(r, 200));
  t.match(logs, /session ready/);
  t.notMatch(logs, /scram-secret-1/, 'no password');
  t.notMatch(logs, /secret-token-value/, 'no startup options (plan tokens travel there)');
});
