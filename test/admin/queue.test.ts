import t from 'tap';
import { direct, freshDatabase } from '../harness/env.js';
import { change, startTestAdmin } from './helpers.js';

const CRM = `CREATE TABLE customers (id int PRIMARY KEY, name text, phone text);
INSERT INTO customers SELECT g, 'c' || g, '555-' || g FROM generate_series(1, 100) g;`;

async function crm(t: { teardown(fn: () => unknown): void }): Promise<string> {
  const db = await freshDatabase(t, 'twcrm');
  await direct(db, CRM);
  return db;
}

t.test('order: code that reads a new table waits for its schema change, and goes after it is applied', async (t) => {
  const a = await startTestAdmin(t);
  const db = await crm(t);
  t.equal((await a.call('POST', '/api/deploys', a.keys.ci, { target: db, revision: 'r0' })).status, 201);
  const schema = await a.call('POST', '/api/changes', a.keys.ci, change(db, {
    title: 'phones table', revision: 's1', migrations: [{ name: '002_phones.sql', sql: 'CREATE TABLE customer_phones (customer_id int, phone text);' }],
  }));
  t.equal(schema.status, 201);
  t.same(schema.body.change.effect, { created: ['public.customer_phones'], removed: [], changed: [] }, 'a new table, named once');
  const code = await a.call('POST', '/api/changes', a.keys.ci, change(db, {
    title: 'read phones', kind: 'code', revision: 'c1', migrations: [], reads: ['public.customer_phones', 'public.customers.name'],
  }));
  t.equal(code.status, 201);
  const S = schema.body.change.id;
  const C = code.body.change.id;
  t.match(code.body.checks.order, { state: 'red', reason: `reads public.customer_phones, which #${S} (phones table) creates and is not applied yet` });

  const plan = await a.call('GET', `/api/plan?target=${db}`, a.keys.alice);
  t.same(plan.body.plan[0].order.map((e: { id: number }) => e.id), [S, C]);
  t.match(plan.body.plan[0].order[1].reason, `schema before the code that reads it: #${C} reads public.customer_phones, which #${S} creates`);
  t.match(plan.body.plan[0].order[0].reason, /in submission order/);

  const early = await a.call('POST', `/api/changes/${C}/release`, a.keys.ci);
  t.equal(early.status, 409);
  t.match(early.body.error, { code: 'TW_RELEASE_REFUSED', message: /order is red: reads public.customer_phones/ });
  t.equal(early.body.error.details.checks.order.state, 'red');

  const released = await a.call('POST', `/api/changes/${S}/release`, a.keys.ci);
  t.equal(released.status, 200, 'the schema change has no destructive statements: no token needed');
  t.equal(released.body.planToken, null);
  t.equal(released.body.change.status, 'released');
  t.equal((await a.call('POST', `/api/changes/${C}/release`, a.keys.ci)).status, 409, 'released is not applied');

  await direct(db, 'CREATE TABLE customer_phones (customer_id int, phone text);');
  const applied = await a.call('GET', `/api/changes/${S}`, a.keys.ci);
  t.equal(applied.body.change.status, 'applied', 'the live catalog shows the effect');
  t.match(applied.body.change.statusReason, /the live catalog shows its effect/);
  const now = await a.call('POST', `/api/changes/${C}/release`, a.keys.ci);
  t.equal(now.status, 200);
  t.equal(now.body.checks.order.state, 'green');
  const dep = await a.call('POST', '/api/deploys', a.keys.ci, { target: db, revision: 'c1' });
  t.match(dep.body.transitions, [{ id: C, from: 'released', to: 'deployed' }]);
  t.same(dep.body.moved.revision, { from: 'r0', to: 'c1' });
});

t.test('order: a column drop waits while the live code reads it; the plan puts the code that stops reading it first', async (t) => {
  const a = await startTestAdmin(t);
  const db = await crm(t);
  const c1 = await a.call('POST', '/api/changes', a.keys.ci, change(db, { title: 'v1 reads phone', kind: 'code', revision: 'v1', baseRevision: 'v0', migrations: [], reads: ['public.customers.phone', 'public.customers.name'] }));
  await a.call('POST', '/api/deploys', a.keys.ci, { target: db, revision: 'v1' });
  t.equal((await a.call('GET', `/api/changes/${c1.body.change.id}`, a.keys.ci)).body.change.status, 'deployed', 'deployed without release is still live');

  const drop = await a.call('POST', '/api/changes', a.keys.ci, change(db, { title: 'drop phone', revision: 'd1', baseRevision: 'v1', migrations: [{ name: '003_drop_phone.sql', sql: 'ALTER TABLE customers DROP COLUMN phone;' }] }));
  const D = drop.body.change.id;
  t.same(drop.body.change.effect.removed, ['public.customers.phone']);
  t.match(drop.body.change.findings, [{ rule: 'drop-column', severity: 'block' }]);
  t.match(drop.body.change.destructive, [{ migration: '003_drop_phone.sql', statement: 1, sql: 'ALTER TABLE customers DROP COLUMN phone', rules: ['drop-column'] }]);
  t.match(drop.body.checks, {
    lint: { state: 'red', reason: /1 block finding not covered by an approval: drop-column at 003_drop_phone.sql:1/ },
    approvals: { state: 'pending', reason: '1 block finding: needs 1 approval, has 0' },
    order: { state: 'red', reason: `drops public.customers.phone, which the live code (#${c1.body.change.id} (v1 reads phone), revision v1) reads: deploy the code that stops reading it first` },
    freshness: { state: 'green' },
    rehearsal: { state: 'green', reason: /--skip-rehearsal/ },
  });
  await a.call('POST', `/api/changes/${D}/approve`, a.keys.bob, {});
  const refused = await a.call('POST', `/api/changes/${D}/release`, a.keys.ci);
  t.equal(refused.status, 409);
  t.match(refused.body.error.message, /order is red: drops public.customers.phone, which the live code/);

  const c2 = await a.call('POST', '/api/changes', a.keys.ci, change(db, { title: 'v2 stops reading phone', kind: 'code', revision: 'v2', baseRevision: 'v1', migrations: [], reads: ['public.customers.name'] }));
  const C2 = c2.body.change.id;
  const plan = await a.call('GET', `/api/plan?target=${db}`, a.keys.ci);
  t.same(plan.body.plan[0].order.map((e: { id: number }) => e.id), [C2, D], 'the code first, though submitted later');
  t.equal(plan.body.plan[0].order[1].reason, `code that stops reading public.customers.phone (#${C2}) ships before #${D} drops it`);
  t.same(plan.body.plan[0].order[1].after, [C2]);

  t.equal((await a.call('POST', `/api/changes/${C2}/release`, a.keys.ci)).status, 200);
  const still = await a.call('POST', `/api/changes/${D}/release`, a.keys.ci);
  t.match(still.body.error.message, /order is red: drops public.customers.phone, which the live code \(#\d+ \(v1 reads phone\), revision v1\) reads/, 'v2 is released, not live: v1 still reads it');
  const deployed = await a.call('POST', '/api/deploys', a.keys.ci, { target: db, revision: 'v2' });
  t.match(deployed.body.transitions, [{ id: C2, to: 'deployed' }, { id: D, from: 'queued', to: 'needs-rebase', reason: /built on v1, but v2 is live/ }]);
  const resubmitted = await a.call('POST', '/api/changes', a.keys.ci, change(db, { title: 'drop phone', revision: 'd2', baseRevision: 'v2', supersedes: D, migrations: [{ name: '003_drop_phone.sql', sql: 'ALTER TABLE customers DROP COLUMN phone;' }] }));
  t.equal(resubmitted.body.checks.order.state, 'green', 'no live code reads the column now');
  t.equal((await a.call('GET', `/api/changes/${D}`, a.keys.ci)).body.change.status, 'superseded');
});

t.test('deploys: changes on another base turn needs-rebase and the response says what moved', async (t) => {
  const a = await startTestAdmin(t);
  const db = await crm(t);
  await a.call('POST', '/api/deploys', a.keys.ci, { target: db, revision: 'base0' });
  const one = await a.call('POST', '/api/changes', a.keys.ci, change(db, { title: 'one', revision: 'b1', baseRevision: 'base0', migrations: [{ name: '010_a.sql', sql: 'CREATE TABLE a (id int);' }] }));
  const two = await a.call('POST', '/api/changes', a.keys.ci, change(db, { title: 'two', revision: 'b2', baseRevision: 'base0', migrations: [{ name: '010_a.sql', sql: 'CREATE TABLE a (id bigint);' }] }));
  t.equal(one.body.checks.freshness.state, 'green');
  const bad = await a.call('POST', '/api/deploys', a.keys.ci, { target: db, revision: 'x', schemaFingerprint: 'not-the-live-one' });
  t.match(bad.body.error, { status: 409, message: /the live schema of .* is [0-9a-zA-Z_-]+, not not-the-live-one/ });

  t.equal((await a.call('POST', `/api/changes/${one.body.change.id}/release`, a.keys.ci)).status, 200);
  await direct(db, 'CREATE TABLE a (id int);');
  const rel = await a.call('POST', '/api/deploys', a.keys.ci, { target: db, revision: 'b1' });
  t.equal(rel.status, 201);
  t.ok(rel.body.moved.revision && rel.body.moved.schema, 'revision and schema both moved');
  t.match(rel.body.transitions, [
    { id: one.body.change.id, from: 'released', to: 'applied' },
    { id: two.body.change.id, from: 'queued', to: 'needs-rebase', reason: /built on base0, but b1 is live; linted against schema .* since #\d+ \(one\) was applied; modifies migration 010_a.sql, already applied by #\d+/ },
  ]);
  const two2 = await a.call('GET', `/api/changes/${two.body.change.id}`, a.keys.ci);
  t.equal(two2.body.change.status, 'needs-rebase');
  t.equal(two2.body.checks.freshness.state, 'red');
  const refused = await a.call('POST', `/api/changes/${two.body.change.id}/release`, a.keys.ci);
  t.match(refused.body.error, { code: 'TW_RELEASE_REFUSED', message: /freshness is red/ });
  const dropped = await a.call('POST', '/api/changes', a.keys.ci, change(db, { title: 'history without 010', revision: 'b3', baseRevision: 'b1', migrations: [{ name: '009_x.sql', sql: 'SELECT 1;' }, { name: '011_b.sql', sql: 'CREATE TABLE b (id int);' }] }));
  t.equal(dropped.body.checks.freshness.state, 'green', 'new migrations alone are not a history');
  const removed = await a.call('POST', '/api/changes', a.keys.ci, change(db, { title: 'full history', revision: 'b4', baseRevision: 'b1', migrations: [{ name: '009_x.sql', sql: 'SELECT 1;' }] }));
  t.equal(removed.body.checks.freshness.state, 'green');
  const applied = await direct<{ name: string }>(a.stateDatabase, 'SELECT name FROM tripwire.applied_migrations');
  t.same(applied, [{ name: '010_a.sql' }]);
});

t.test('restarting tripwire mid-queue loses nothing', async (t) => {
  const first = await startTestAdmin(t);
  const db = await crm(t);
  await first.call('POST', '/api/deploys', first.keys.ci, { target: db, revision: 'r0' });
  const sub = await first.call('POST', '/api/changes', first.keys.ci, change(db, { migrations: [{ name: '1.sql', sql: 'ALTER TABLE customers DROP COLUMN name;' }] }));
  const id = sub.body.change.id;
  await first.call('POST', `/api/changes/${id}/approve`, first.keys.alice, { comment: 'ok' });
  const before = await first.call('GET', `/api/changes/${id}`, first.keys.ci);
  await first.server.close();

  const second = await startTestAdmin(t, { stateDatabase: first.stateDatabase, keys: first.keys });
  const after = await second.call('GET', `/api/changes/${id}`, second.keys.ci);
  t.equal(after.status, 200);
  t.same(after.body.change, before.body.change, 'the change, findings and status');
  t.same(after.body.reviews, before.body.reviews, 'the approval');
  t.same(after.body.checks, before.body.checks, 'the same checks');
  t.equal(after.body.checks.approvals.state, 'green');
  t.equal((await second.call('GET', `/api/changes?target=${db}`, second.keys.ci)).body.changes.length, 1);
});
