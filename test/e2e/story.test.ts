/**
 * The whole story end to end, with real PostgreSQL: production and staging databases, `tripwire
 * serve` in front of them, and node-pg-migrate whose DATABASE_URL points at the proxy.
 *   1. the generated "rename" is held; 2. the plan is schema, then code; 3. a parallel branch on
 *   the old base must rebase; 4. the staging run proves the data survived (and a drop-and-recreate
 *   rehearses red, drift is caught); 5. production is held until every check is green, then
 *   released and applied, and every phone number is in its new home.
 */
import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { runner } from 'node-pg-migrate';
import { CRM_SCHEMA } from '../../src/demo/crm-fixture.js';
import { direct, freshDatabase, serverUrl } from '../harness/env.js';
import { testKeys } from '../harness/plan-keys.js';
import { createKeys, eventually, startTestServe } from '../admin/helpers.js';
import { StateDb } from '../../src/state/state-db.js';
import { pino } from 'pino';
import { tempDir } from '../clients/support.js';

const PHONES = 10_000;
const SPLIT = [
  {
    name: '1700000000001_create-customer-phones.sql',
    sql: `-- Up Migration
CREATE TABLE customer_phones (customer_id bigint NOT NULL REFERENCES customers (id), phone text NOT NULL, PRIMARY KEY (customer_id, phone));
INSERT INTO customer_phones (customer_id, phone) SELECT id, phone FROM customers WHERE phone IS NOT NULL;
`,
  },
  { name: '1700000000002_drop-customers-phone.sql', sql: '-- Up Migration\nALTER TABLE customers DROP COLUMN phone;\n' },
];
const GENERATED = [{ name: '1700000000001_rename-phone.sql', sql: '-- Up Migration\nALTER TABLE customers DROP COLUMN phone;\nALTER TABLE customers ADD COLUMN phone text;\n' }];

function migrationsDir(t: { teardown(fn: () => unknown): void }, files: Array<{ name: string; sql: string }>): string {
  const dir = join(tempDir(t, 'tw-story-'), 'migrations');
  mkdirSync(dir);
  for (const f of files) writeFileSync(join(dir, f.name), f.sql);
  return dir;
}

const migrate = (databaseUrl: string, dir: string) =>
  runner({ databaseUrl, dir, direction: 'up', migrationsTable: 'pgmigrations', log: () => {}, checkOrder: true }).then((ran) => ran.map((m) => m.name));

async function phoneDigest(db: string, table: string, column: string): Promise<{ n: number; md5: string }> {
  const [row] = await direct<{ n: number; md5: string }>(db, `SELECT count(${column})::int AS n, md5(string_agg(${column}, ',' ORDER BY ${column})) AS md5 FROM ${table}`);
  return row!;
}

t.test('the whole story: held, planned, rebased, rehearsed on staging, released, applied', async (t) => {
  const keys = await testKeys(t);
  const stateDatabase = await freshDatabase(t, 'twstate');
  const prod = await freshDatabase(t, 'crm_prod');
  const staging = await freshDatabase(t, 'crm_staging');
  for (const db of [prod, staging]) {
    await direct(db, CRM_SCHEMA);
    await direct(db, `INSERT INTO customers (name, email, phone) SELECT 'C' || g, 'c' || g || '@example.com', '+1-555-' || lpad(g::text, 6, '0') FROM generate_series(1, ${PHONES}) g`);
    await direct(db, 'INSERT INTO orders (customer_id, total_cents) SELECT 1 + g % 100, g FROM generate_series(1, 500) g');
    await migrate(serverUrl(db), migrationsDir(t, [])); // the runner's bookkeeping table, as on a live system
  }
  const phonesBefore = await phoneDigest(prod, 'customers', 'phone');
  t.equal(phonesBefore.n, PHONES);

  const tw = await startTestServe(t, { stateDatabase, signingKey: keys.privatePath, settings: { requireRehearsal: true }, staging: [`${prod}=${staging}`] });
  const state = await StateDb.open({ url: serverUrl(stateDatabase), logger: pino({ level: 'silent' }) });
  t.teardown(() => state.close());
  const k = await createKeys(state);
  const DATABASE_URL = tw.proxyUrl(prod);
  const api = tw.call;

  // 1. The generated "rename" is flagged and held: nothing of it reaches production.
  const held = await migrate(DATABASE_URL, migrationsDir(t, GENERATED)).then(() => null, (err: Error & { code?: string }) => err);
  t.match(held, { code: 'TW001', message: /tripwire held: This "rename" is a drop: it drops customers\.phone and recreates it empty/ }, '1. held at execution time');
  t.same(await phoneDigest(prod, 'customers', 'phone'), phonesBefore, 'every phone value intact');
  t.same(await direct(prod, 'SELECT count(*)::int AS n FROM pgmigrations'), [{ n: 0 }], 'the runner recorded nothing');

  // 2. The fixed split and the code that reads the new table: the plan puts the schema first.
  t.equal((await api('POST', '/api/deploys', k.ci, { target: prod, revision: 'main-1' })).status, 201);
  const split = (await api('POST', '/api/changes', k.ci, { title: 'split phones', author: 'noor', revision: 'split-1', baseRevision: 'main-1', kind: 'schema', target: prod, migrations: SPLIT })).body;
  const S = split.change.id as number;
  t.match(split.change.destructive, [{ sql: 'ALTER TABLE customers DROP COLUMN phone', rules: ['drop-column'] }]);
  const code = (
    await api('POST', '/api/changes', k.ci, {
      title: 'app reads customer_phones',
      author: 'noor',
      revision: 'app-1',
      baseRevision: 'main-1',
      kind: 'code',
      target: prod,
      dependsOn: [S],
      requires: [SPLIT[0]!.name],
      reads: ['public.customer_phones.phone'],
    })
  ).body;
  const C = code.change.id as number;
  const plan = (await api('GET', `/api/plan?target=${prod}`, k.ci)).body.plan[0].order;
  t.same(plan.map((e: { id: number }) => e.id), [S, C], '2. schema, then code');
  t.match(code.checks.order, { state: 'red' }, 'the code cannot go first');

  // 3. A parallel branch built on the old base is forced to rebase.
  const parallel = (
    await api('POST', '/api/changes', k.ci, { title: 'vip flag', author: 'ai-2', revision: 'vip-1', baseRevision: 'main-0', kind: 'schema', target: prod, migrations: [{ name: '1700000000003_vip.sql', sql: 'ALTER TABLE customers ADD COLUMN vip boolean;' }] })
  ).body;
  t.equal(parallel.change.status, 'needs-rebase', '3. needs-rebase');
  t.match(parallel.checks.freshness, { state: 'red', reason: /built on main-0, but main-1 is live/ });
  const staleRelease = await api('POST', `/api/changes/${parallel.change.id}/release`, k.ci);
  t.equal(staleRelease.status, 409);
  t.match(staleRelease.body.error.message, /freshness is red/);

  // 4a. The generated drop-and-recreate, rehearsed on staging: red, the loss named, release refused.
  const bad = (await api('POST', '/api/changes', k.ci, { title: 'rename phone (generated)', author: 'ai-1', revision: 'gen-1', baseRevision: 'main-1', kind: 'schema', target: prod, migrations: GENERATED })).body;
  const B = bad.change.id as number;
  t.match(bad.checks.rehearsal, { state: 'pending', reason: /not rehearsed on staging yet/ });
  const badRun = await api('POST', `/api/changes/${B}/rehearse`, k.ci, { wait: true });
  t.equal(badRun.status, 200, 'wait: answered when the rehearsal is done');
  t.match(badRun.body.rehearsal, { state: 'red', summary: 'customers.phone: 10,000 values before, 0 after, found in no column' });
  await api('POST', `/api/changes/${B}/approve`, k.alice, {});
  const badRelease = await api('POST', `/api/changes/${B}/release`, k.ci);
  t.equal(badRelease.status, 409, 'the release is refused');
  t.match(badRelease.body.error.message, /rehearsal is red: customers\.phone: 10,000 values before, 0 after, found in no column/);

  // 4b. Staging lost its phones in that run and drifted by hand: the split's rehearsal says so.
  await direct(staging, 'ALTER TABLE orders ADD COLUMN note text');
  const drifted = await api('POST', `/api/changes/${S}/rehearse`, k.ci, { wait: true });
  t.match(drifted.body.rehearsal, { state: 'red', summary: /^staging has drifted from production/ });
  t.match(drifted.body.rehearsal.report.text, /orders\.note/, 'the difference named, column by column');

  // 4c. Rebuilt fresh from production, the split rehearses green: every phone moved.
  const fresh = await api('POST', `/api/changes/${S}/rehearse`, k.ci, { freshFromProduction: true });
  t.equal(fresh.status, 202);
  t.equal(fresh.headers.get('location'), `/api/changes/${S}/rehearsal`);
  const run = await eventually(async () => {
    const r = (await api('GET', `/api/changes/${S}/rehearsal`, k.ci)).body.rehearsal;
    return r.state === 'running' ? null : r;
  }, 60_000);
  t.equal(run.state, 'green', run.summary);
  t.match(run.summary, /customers\.phone moved to customer_phones\.phone \(10,000 values\)/);
  t.ok(run.progress.some((p: { step: string }) => p.step === 'fresh'), 'progress shows the copy from production');
  t.same(await phoneDigest(staging, 'customer_phones', 'phone'), phonesBefore, '4. on staging every phone is in customer_phones');

  // 5. Held until every check is green; then released, and the runner goes through the proxy.
  const early = await api('POST', `/api/changes/${S}/release`, k.ci);
  t.equal(early.status, 409);
  t.match(early.body.error.message, /approvals is pending/);
  t.match(early.body.error.details.checks.rehearsal, { state: 'green' });
  await api('POST', `/api/changes/${S}/approve`, k.bob, { comment: 'copy before drop' });
  const released = await api('POST', `/api/changes/${S}/release`, k.ci);
  t.equal(released.status, 200, 'released once every check is green');
  t.ok(released.body.planToken, 'a plan token, published to the proxy');
  t.same(await migrate(DATABASE_URL, migrationsDir(t, SPLIT)), SPLIT.map((m) => m.name.replace(/\.sql$/, '')), '5. node-pg-migrate applies both through the proxy, nothing in its URL');
  const applied = await eventually(async () => {
    const v = (await api('GET', `/api/changes/${S}`, k.ci)).body;
    return v.change.status === 'applied' ? v : null;
  });
  t.ok(applied, 'recorded as applied once the proxy saw the planned statement commit');
  const codeRelease = await api('POST', `/api/changes/${C}/release`, k.ci);
  t.equal(codeRelease.status, 200, 'the code goes after its schema');
  t.same(await phoneDigest(prod, 'customer_phones', 'phone'), phonesBefore, `all ${PHONES} phone values are in the new table on production`);
  t.same(await direct(prod, "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'customers' AND column_name = 'phone'"), [{ n: 0 }]);
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  const dropAgain = await client.query('DROP TABLE customer_phones').then(() => null, (e: { code?: string }) => e);
  await client.end();
  t.match(dropAgain, { code: 'TW001' }, 'the used-up release covers nothing else');
});
