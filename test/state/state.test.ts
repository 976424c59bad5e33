import t from 'tap';
import { pino } from 'pino';
import { StateDb } from '../../src/state/state-db.js';
import { StateEvents, announce, type Announced } from '../../src/state/events.js';
import { StateAudit } from '../../src/state/audit-sink.js';
import { createApiKey, listApiKeys, revokeApiKey, verifyApiKey } from '../../src/state/api-keys.js';
import { direct, freshDatabase, serverUrl } from '../harness/env.js';

const logger = pino({ level: 'silent' });

async function openState(t: { teardown(fn: () => unknown): void }, url: string): Promise<StateDb> {
  const db = await StateDb.open({ url, logger });
  t.teardown(() => db.close());
  return db;
}

t.test('several instances starting together create and migrate the schema once', async (t) => {
  const name = await freshDatabase(t, 'twstate');
  const dbs = await Promise.all([1, 2, 3, 4].map(() => openState(t, serverUrl(name))));
  t.equal(dbs.length, 4);
  const versions = await direct<{ version: number }>(name, 'SELECT version FROM tripwire.schema_migrations ORDER BY version');
  t.same(versions.map((r) => r.version), [1, 2, 3], 'each version recorded once');
  const again = await openState(t, serverUrl(name));
  t.ok(await again.ping(), 'a restart finds the schema in place');
});

t.test('an unreachable state database is TW_STATE_UNAVAILABLE', async (t) => {
  await t.rejects(StateDb.open({ url: 'postgres://postgres@127.0.0.1:1/x', logger }), { code: 'TW_STATE_UNAVAILABLE' });
});

t.test('a state schema newer than this tripwire is refused', async (t) => {
  const name = await freshDatabase(t, 'twstate');
  await openState(t, serverUrl(name));
  await direct(name, "INSERT INTO tripwire.schema_migrations (version, name) VALUES (999, 'future')");
  await t.rejects(StateDb.open({ url: serverUrl(name), logger }), { code: 'TW_STATE_MIGRATION_FAILED' });
});

t.test('the audit table is append-only and receives batched records', async (t) => {
  const name = await freshDatabase(t, 'twstate');
  const db = await openState(t, serverUrl(name));
  const audit = new StateAudit(db, logger, { flushMs: 10 });
  for (let i = 0; i < 3; i++) {
    audit.record({ event: 'held', user: 'app', database: 'crm', applicationName: undefined, client: '127.0.0.1:5', statement: `DROP TABLE t${i}`, rules: ['drop-table'], objects: [`public.t${i}`], verdict: 'hold', reason: 'r', tokenId: null });
  }
  await audit.close();
  const rows = await direct<{ statement: string; rules: string[]; application_name: string | null }>(name, 'SELECT statement, rules, application_name FROM tripwire.audit ORDER BY id');
  t.same(rows.map((r) => r.statement), ['DROP TABLE t0', 'DROP TABLE t1', 'DROP TABLE t2']);
  t.same(rows[0]!.rules, ['drop-table']);
  t.equal(rows[0]!.application_name, null);
  await t.rejects(direct(name, 'DELETE FROM tripwire.audit'), /append-only/);
  await t.rejects(direct(name, "UPDATE tripwire.audit SET verdict = 'pass'"), /append-only/);
  await t.rejects(direct(name, 'TRUNCATE tripwire.audit'), /append-only/);
});

t.test('announcements reach every listener when the transaction commits, not before, and never on rollback', async (t) => {
  const name = await freshDatabase(t, 'twstate');
  const db = await openState(t, serverUrl(name));
  const events = new StateEvents(db, logger, 50);
  t.teardown(() => events.close());
  const got: Announced[] = [];
  events.subscribe((e) => got.push(e));
  await events.start();
  t.equal(got[0]?.type, 'resync', 'a resync on connect');
  await db.tx(async (c) => {
    await announce(c, { type: 'policy', name: 'prod' });
    await new Promise((r) => setTimeout(r, 100));
    t.equal(got.length, 1, 'nothing before commit');
  });
  await db.tx(async (c) => {
    await announce(c, { type: 'policy', name: 'rolled-back' });
    throw new Error('abort');
  }).catch(() => undefined);
  await db.tx((c) => announce(c, { type: 'release', target: 'crm', changeId: 7 }));
  const deadline = Date.now() + 5000;
  while (got.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  t.same(got.slice(1).map((e) => e.type === 'policy' ? e.name : e.type), ['prod', 'release']);
});

t.test('the listener reconnects after its connection is killed and says resync', async (t) => {
  const name = await freshDatabase(t, 'twstate');
  const db = await openState(t, serverUrl(name));
  const events = new StateEvents(db, logger, 50);
  t.teardown(() => events.close());
  const got: Announced[] = [];
  events.subscribe((e) => got.push(e));
  await events.start();
  await direct(name, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'tripwire-listen' AND datname = $1", [name]);
  const deadline = Date.now() + 5000;
  while (got.filter((e) => e.type === 'resync').length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  t.equal(got.filter((e) => e.type === 'resync').length, 2, 'resynced after the reconnect');
  await db.tx((c) => announce(c, { type: 'deploy', target: 'crm' }));
  while (!got.some((e) => e.type === 'deploy') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  t.ok(got.some((e) => e.type === 'deploy'), 'announcements flow again');
});

t.test('API keys: shown once, stored hashed, verified, revoked', async (t) => {
  const name = await freshDatabase(t, 'twstate');
  const db = await openState(t, serverUrl(name));
  const created = await createApiKey(db.pool, 'alice', 'approver');
  t.match(created.key, /^twk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
  const stored = await direct<{ secret_hash: Buffer }>(name, 'SELECT secret_hash FROM tripwire.api_keys');
  t.equal(stored[0]!.secret_hash.length, 32, 'a SHA-256, not the key');
  t.notOk(stored[0]!.secret_hash.toString('latin1').includes(created.key.slice(-43)), 'the secret is not stored');
  t.match(await verifyApiKey(db.pool, created.key), { name: 'alice', role: 'approver' });
  t.equal(await verifyApiKey(db.pool, created.key.slice(0, -1) + (created.key.endsWith('A') ? 'B' : 'A')), null, 'a wrong secret');
  t.equal(await verifyApiKey(db.pool, 'twk_0000000000000000_' + 'A'.repeat(43)), null, 'an unknown id');
  t.equal(await verifyApiKey(db.pool, 'nonsense'), null, 'malformed');
  t.equal((await listApiKeys(db.pool)).length, 1);
  t.ok((await revokeApiKey(db.pool, created.id))?.revokedAt);
  t.equal(await verifyApiKey(db.pool, created.key), null, 'revoked');
});

t.test('the server ends a transaction\'s connection while it waits on other work: an error, not a crash', async (t) => {
  const name = await freshDatabase(t, 'twstate');
  const db = await openState(t, serverUrl(name));
  let pid = 0;
  const attempt = db.tx(async (c) => {
    pid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    // Meanwhile (say, reading the live schema) the server terminates this connection, and its
    // FATAL reaches the client while no query is running on it.
    await direct(name, `SELECT pg_terminate_backend(${pid}, 5000)`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await c.query('SELECT 1');
  });
  await t.rejects(attempt, { code: 'TW_STATE_UNAVAILABLE' });
  t.ok(pid > 0);
  t.ok(await db.ping(), 'the pool discarded the dead connection and still works');
  t.same(await db.tx(async (c) => (await c.query('SELECT 2 AS two')).rows), [{ two: 2 }]);
});
