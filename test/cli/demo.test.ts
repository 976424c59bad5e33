import t from 'tap';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';

t.test('npm run demo: the proxy in front of an embedded PostgreSQL, then everything stopped', async (t) => {
  const before = new Set(readdirSync(tmpdir()).filter((f) => f.startsWith('tripwire-demo-')));
  const res = spawnSync(process.execPath, [new URL('../../dist/demo/main.js', import.meta.url).pathname], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  t.equal(res.status, 0, res.stderr);
  t.match(res.stdout, /DATABASE_URL=postgres:\/\/postgres:demo@127\.0\.0\.1:\d+\/crm_production/);
  t.match(res.stdout, /10,000 customers, 10,000 with a phone number/);
  t.match(res.stdout, /ERROR TW001: tripwire held: This "rename" is a drop: it drops customers\.phone and recreates it empty — the data goes with it\. \(10,000 values in public\.customers\.phone\)/);
  t.match(res.stdout, /afterwards: 10,000 customers still have their phone number/);
  t.match(res.stdout, /done: everything the demo started has stopped/);
  const leftovers = readdirSync(tmpdir()).filter((f) => f.startsWith('tripwire-demo-') && !before.has(f));
  t.same(leftovers, [], 'no temp files left');
});
