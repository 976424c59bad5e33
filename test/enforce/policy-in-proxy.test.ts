import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { direct, freshDatabase, serverUrl } from '../harness/env.js';
import { startEnforcingProxy } from '../harness/enforcing-proxy.js';

function policyDir(t: { teardown(fn: () => unknown): void }, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tw-policy-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return dir;
}

t.test('lockTimeout: tripwire sets lock_timeout before ACCESS EXCLUSIVE DDL in sessions without one', async (t) => {
  const db = await freshDatabase(t);
  await direct(db, 'CREATE TABLE customers (id int)');
  const dir = policyDir(t, { 'p.yaml': 'version: 1\nlockTimeout: 1500ms\n' });
  const proxy = await startEnforcingProxy(t, { policyPath: join(dir, 'p.yaml') });
  const c = new pg.Client({ connectionString: proxy.url(db) });
  await c.connect();
  t.teardown(() => c.end());
  t.same((await c.query('SHOW lock_timeout')).rows, [{ lock_timeout: '0' }]);
  const res = await c.query('ALTER TABLE customers ADD COLUMN email text');
  t.equal(res.command, 'ALTER', 'the client sees only its own statement’s result');
  t.same((await c.query('SHOW lock_timeout')).rows, [{ lock_timeout: '1500ms' }], 'lock_timeout was set first');

  const own = new pg.Client({ connectionString: proxy.url(db) });
  await own.connect();
  t.teardown(() => own.end());
  await own.query("SET lock_timeout = '9s'");
  await own.query('ALTER TABLE customers ADD COLUMN name text');
  t.same((await own.query('SHOW lock_timeout')).rows, [{ lock_timeout: '9s' }], 'a session that set its own is left alone');
});

t.test('a rule set to hold by policy holds; an exemption with a reason lets scratch tables go', async (t) => {
  const db = await freshDatabase(t);
  await direct(db, `CREATE TABLE customers (id int); CREATE TABLE tmp_import (id int);
    INSERT INTO customers SELECT generate_series(1, 10); INSERT INTO tmp_import SELECT generate_series(1, 10)`);
  const dir = policyDir(t, {
    'p.yaml': `version: 1
rules:
  create-index-nonconcurrent: hold
exemptions:
  - rules: [drop-table]
    match: { table: "tmp_*" }
    reason: scratch tables rebuilt by the nightly import
`,
  });
  const proxy = await startEnforcingProxy(t, { policyPath: join(dir, 'p.yaml') });
  const c = new pg.Client({ connectionString: proxy.url(db) });
  await c.connect();
  t.teardown(() => c.end());
  await t.rejects(c.query('CREATE INDEX customers_id ON customers (id)'), { code: 'TW001' }, 'a warn rule turned into a hold');
  await c.query('DROP TABLE tmp_import');
  t.same(await direct(db, "SELECT to_regclass('tmp_import') IS NULL AS gone"), [{ gone: true }], 'the exempt drop ran');
  await t.rejects(c.query('DROP TABLE customers'), { code: 'TW001' }, 'other tables are still held');
});

t.test('tripwire proxy refuses to start with a bad policy: file, line and field, exit 2', async (t) => {
  const dir = policyDir(t, { 'bad.yaml': 'version: 1\nrules:\n  drop-colum: hold\n' });
  const bin = new URL('../../dist/cli/main.js', import.meta.url).pathname;
  const res = spawnSync(process.execPath, [bin, 'proxy', '--upstream', serverUrl(), '--listen', '127.0.0.1:0', '--policy', join(dir, 'bad.yaml')], { encoding: 'utf8', timeout: 20_000 });
  t.equal(res.status, 2);
  t.match(res.stderr, /bad\.yaml:3:3: rules\.drop-colum: unknown rule id "drop-colum" \(did you mean "drop-column"\?\)/);
});
