/**
 * `npm run demo` as a newcomer runs it: the whole story on an embedded PostgreSQL, from the built
 * program, with exit code 0, and nothing left behind.
 */
import t from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

t.test('npm run demo: the story end to end, then everything stopped', async (t) => {
  const before = new Set(readdirSync(tmpdir()).filter((f) => f.startsWith('tripwire-demo-')));
  const res = spawnSync(process.execPath, [new URL('../../dist/demo/main.js', import.meta.url).pathname], { encoding: 'utf8', timeout: 120_000 });
  t.equal(res.status, 0, res.stderr);
  t.equal(res.stderr, '', 'nothing on stderr (no warnings either)');
  const out = res.stdout;
  t.match(out, /DATABASE_URL=postgres:\/\/postgres:demo@127\.0\.0\.1:\d+\/crm_production/);
  t.match(out, /1\. The generated "rename" that is really a drop[\s\S]*ERROR TW001: tripwire held: This "rename" is a drop: it drops customers\.phone and recreates it empty — the data goes with it\. \(10,000 values in public\.customers\.phone\)/);
  t.match(out, /afterwards: 10,000 customers still have their phone number/);
  t.match(out, /GET \/api\/plan:\n\s+1\. #1 Split customers\.phone into customer_phones: .*\n\s+2\. #2 CRM app reads phones from customer_phones: #2 depends on #1; schema before the code that reads it/, '2. schema first, then code');
  t.match(out, /built on 3f1c2a9e0b7d: needs-rebase[\s\S]*freshness\s+red\s+built on 3f1c2a9e0b7d, but 8a4e61d2c5f0 is live: rebase/, '3. the stale branch must rebase');
  t.match(out, /rehearsal green: data survived: 10,000 rows in customers kept; customers\.phone moved to customer_phones\.phone \(10,000 values\)/, '4. proven on staging');
  t.match(out, /release → 409 TW_RELEASE_REFUSED\n(.*\n)*?\s+approvals\s+pending\s+1 block finding: needs 1 approval, has 0/, '5. held until green');
  t.match(out, /NOTICE: tripwire: allowed by plan [0-9a-f-]+: ALTER TABLE customers DROP COLUMN phone/);
  t.match(out, /#1: applied/);
  t.match(out, /production: 10,000 phone numbers in customer_phones, 10,000 customers, customers\.phone dropped/);
  t.match(out, /metrics\s+http:\/\/127\.0\.0\.1:\d+\/metrics\n\s+tripwire_holds_total\{rule="rename-as-drop"\} 1/);
  t.match(out, /done: everything the demo started has stopped/);
  const leftovers = readdirSync(tmpdir()).filter((f) => f.startsWith('tripwire-demo-') && !before.has(f));
  t.same(leftovers, [], 'no temp files left');
});

/**
 * Runs the demo in a process group of its own, as a terminal does, and signals the whole group.
 * Its temp folder is one of its own (TMPDIR), so what it leaves behind is told apart from what
 * tests running alongside make.
 */
function demoInGroup(t: { teardown(fn: () => unknown): void }, args: string[]) {
  const tmp = mkdtempSync(join(tmpdir(), 'tw-demo-tmp-'));
  chmodSync(tmp, 0o755); // the server's own user works in it too
  t.teardown(() => rmSync(tmp, { recursive: true, force: true }));
  const child = spawn(process.execPath, [new URL('../../dist/demo/main.js', import.meta.url).pathname, ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: tmp } });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = async (text: string) => {
    for (;;) {
      if (out.includes(text)) return;
      if (child.exitCode !== null) throw new Error(`the demo exited before printing ${JSON.stringify(text)}:\n${out}\n${err}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { child, exited, waitFor, ctrlC: () => process.kill(-child.pid!, 'SIGINT'), out: () => out, err: () => err, leftovers: () => readdirSync(tmp) };
}

t.test('Ctrl-C in the middle of the story: everything stopped and removed, exit 130', async (t) => {
  const demo = demoInGroup(t, []);
  t.teardown(() => (demo.child.exitCode === null ? process.kill(-demo.child.pid!, 'SIGKILL') : undefined));
  await demo.waitFor('2. The fixed split');
  demo.ctrlC();
  t.equal(await demo.exited, 130);
  t.match(demo.out(), /interrupted \(SIGINT\): everything the demo started has stopped\.\n$/);
  t.equal(demo.err(), '', 'no stack traces, no server shutdown noise');
  t.same(demo.leftovers(), [], 'no temp files or folders left');
});

t.test('--keep: psql works against it and is held; Ctrl-C then stops everything, exit 0', async (t) => {
  const demo = demoInGroup(t, ['--keep']);
  t.teardown(() => (demo.child.exitCode === null ? process.kill(-demo.child.pid!, 'SIGKILL') : undefined));
  await demo.waitFor('Press Ctrl-C to stop.');
  const url = /Try: psql "([^"]+)"/.exec(demo.out())![1]!;
  const psql = spawnSync('psql', [url, '-X', '-c', 'DROP TABLE orders'], { encoding: 'utf8', env: { ...process.env, PGCONNECT_TIMEOUT: '10' } });
  t.not(psql.status, 0);
  t.match(psql.stderr, /ERROR:\s+tripwire held: DROP TABLE orders would destroy 20,000 rows in public\.orders/);
  demo.ctrlC();
  t.equal(await demo.exited, 0);
  t.match(demo.out(), /"msg":"statement held"/, 'after the story, the proxy logs what it does');
  t.match(demo.out(), /done: everything the demo started has stopped\.\n$/);
  t.equal(demo.err(), '');
  t.same(demo.leftovers(), [], 'no temp files or folders left');
});
