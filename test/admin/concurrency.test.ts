/** Several tripwire instances on one state database: queue changes are serialized per target. */
import t from 'tap';
import { direct, freshDatabase } from '../harness/env.js';
import { testKeys } from '../harness/plan-keys.js';
import { planSignerFromKey } from '../../src/queue/plan-signer.js';
import { change, startTestAdmin } from './helpers.js';

t.test('concurrent releases through two instances mint one token; concurrent submissions all land', async (t) => {
  const keys = await testKeys(t);
  const signer = await planSignerFromKey(keys.privatePath);
  const one = await startTestAdmin(t, { signer });
  const two = await startTestAdmin(t, { signer, stateDatabase: one.stateDatabase, keys: one.keys });
  const db = await freshDatabase(t, 'twcrm');
  await direct(db, 'CREATE TABLE t (id int, gone text); INSERT INTO t VALUES (1, 1);');
  await one.call('POST', '/api/deploys', one.keys.ci, { target: db, revision: 'r0' });
  const submitted = await Promise.all(
    Array.from({ length: 6 }, (_, i) => (i % 2 ? one : two).call('POST', '/api/changes', one.keys.ci, change(db, { title: `c${i}`, migrations: [{ name: `m${i}.sql`, sql: `CREATE TABLE x${i} (id int);` }] }))),
  );
  t.same(submitted.map((s) => s.status), [201, 201, 201, 201, 201, 201]);
  t.equal(new Set(submitted.map((s) => s.body.change.id)).size, 6);

  const drop = await one.call('POST', '/api/changes', one.keys.ci, change(db, { title: 'drop gone', migrations: [{ name: 'd.sql', sql: 'ALTER TABLE t DROP COLUMN gone;' }] }));
  const id = drop.body.change.id;
  await two.call('POST', `/api/changes/${id}/approve`, one.keys.bob, {});
  const releases = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? one : two).call('POST', `/api/changes/${id}/release`, one.keys.ci)));
  t.same(releases.map((r) => r.status), Array(8).fill(200), 'every call answers 200: a repeated release returns the same token');
  t.equal(new Set(releases.map((r) => r.body.planToken)).size, 1, 'one token');
  t.same(await direct(one.stateDatabase, 'SELECT count(*)::int AS n FROM tripwire.plan_tokens'), [{ n: 1 }], 'one token row');
  t.same(await direct(one.stateDatabase, 'SELECT count(*)::int AS n FROM tripwire.plan_keys'), [{ n: 1 }], 'the public key published once');
});
