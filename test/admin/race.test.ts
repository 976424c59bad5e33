/**
 * The race from the story, over real HTTP against a real tripwire (proxy and admin API in one
 * process) and real PostgreSQL: two branches on one base, the first lands through the proxy, the
 * second must rebase, its old token is refused as stale, and once resubmitted it goes through.
 */
import t from 'tap';
import pg from 'pg';
import { testKeys } from '../harness/plan-keys.js';
import { direct, freshDatabase } from '../harness/env.js';
import { change, createKeys, eventually, startTestServe } from './helpers.js';
import { StateDb } from '../../src/state/state-db.js';
import { pino } from 'pino';
import { serverUrl } from '../harness/env.js';

const SPLIT = `CREATE TABLE customer_phones (customer_id int NOT NULL, phone text NOT NULL);
INSERT INTO customer_phones SELECT id, phone FROM customers WHERE phone IS NOT NULL;
ALTER TABLE customers DROP COLUMN phone;`;
const DROP_NOTES = 'ALTER TABLE customers DROP COLUMN notes;';

async function run(url: string, sql: string): Promise<{ ok: true } | { ok: false; code: string; message: string; detail?: string }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('BEGIN');
    await c.query(sql);
    await c.query('COMMIT');
    return { ok: true };
  } catch (err) {
    const e = err as { code: string; message: string; detail?: string };
    await c.query('ROLLBACK').catch(() => undefined);
    return { ok: false, code: e.code, message: e.message, ...(e.detail ? { detail: e.detail } : {}) };
  } finally {
    await c.end();
  }
}

t.test('two branches on one base: the second must rebase, and its old token is stale', async (t) => {
  const keys = await testKeys(t);
  const stateDatabase = await freshDatabase(t, 'twstate');
  const db = await freshDatabase(t, 'twcrm');
  await direct(db, `CREATE TABLE customers (id int PRIMARY KEY, name text, phone text, notes text);
    INSERT INTO customers SELECT g, 'c' || g, '555-' || g, 'n' || g FROM generate_series(1, 1000) g;`);
  const tw = await startTestServe(t, { stateDatabase, signingKey: keys.privatePath });
  const state = await StateDb.open({ url: serverUrl(stateDatabase), logger: pino({ level: 'silent' }) });
  t.teardown(() => state.close());
  const k = await createKeys(state);
  const api = tw.call;

  t.equal((await api('POST', '/api/deploys', k.ci, { target: db, revision: 'main-0' })).status, 201);
  const a = (await api('POST', '/api/changes', k.ci, change(db, { title: 'split phones', revision: 'branch-a', baseRevision: 'main-0', migrations: [{ name: '002_split_phones.sql', sql: SPLIT }] }))).body;
  const b = (await api('POST', '/api/changes', k.ci, change(db, { title: 'drop notes', revision: 'branch-b', baseRevision: 'main-0', migrations: [{ name: '002_drop_notes.sql', sql: DROP_NOTES }] }))).body;
  t.same(a.change.destructive.map((d: { sql: string }) => d.sql), ['ALTER TABLE customers DROP COLUMN phone'], 'the token will cover exactly the drop');
  for (const id of [a.change.id, b.change.id]) t.equal((await api('POST', `/api/changes/${id}/approve`, k.bob, { comment: 'data is copied first' })).status, 200);

  const relA = await api('POST', `/api/changes/${a.change.id}/release`, k.ci);
  t.equal(relA.status, 200);
  t.match(relA.body.planToken, /^ey/);
  t.match(relA.body.token, { statements: 1 });
  const relB = await api('POST', `/api/changes/${b.change.id}/release`, k.ci);
  t.equal(relB.status, 200, 'both are green on the same base, so both may be released');
  const staleToken = relB.body.planToken as string;

  const held = await run(tw.proxyUrl(db), 'ALTER TABLE customers DROP COLUMN name;');
  t.match(held, { ok: false, code: 'TW001' }, 'an unplanned drop is still held');
  t.match((held as { detail?: string }).detail, /the ship queue has released none for database/);

  const landed = await run(tw.proxyUrl(db), SPLIT);
  t.same(landed, { ok: true }, 'the released migration runs through the proxy with nothing in its URL');
  t.same(await direct(db, 'SELECT count(*)::int AS n FROM customer_phones'), [{ n: 1000 }], 'every phone number is in its new home');

  const applied = await eventually(async () => {
    const r = await api('GET', `/api/changes/${a.change.id}`, k.ci);
    return r.body.change.status === 'applied' ? r.body : null;
  });
  t.ok(applied, 'A is recorded as applied');
  t.match(applied.change.statusReason, /the proxy let every statement of its plan token through/);
  t.ok(applied.change.appliedFingerprint, 'with the new schema fingerprint');

  const bNow = (await api('GET', `/api/changes/${b.change.id}`, k.ci)).body;
  t.equal(bNow.change.status, 'needs-rebase');
  t.match(bNow.checks.freshness, { state: 'red', reason: /since #\d+ \(split phones\) was applied/ });
  const refused = await api('POST', `/api/changes/${b.change.id}/release`, k.ci);
  t.equal(refused.status, 409);
  t.match(refused.body.error, { code: 'TW_RELEASE_REFUSED', message: /freshness is red/ });

  const stale = await run(tw.proxyUrl(db, `-c tripwire.plan=${staleToken}`), DROP_NOTES);
  t.match(stale, { ok: false, code: 'TW007' }, 'the token minted before A landed is refused by the proxy as stale');
  t.match((stale as { detail?: string }).detail, /stale/);
  const noUrl = await run(tw.proxyUrl(db), DROP_NOTES);
  t.match(noUrl, { ok: false, code: 'TW001' }, 'and it is no longer published');
  t.same(await direct(db, "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'customers' AND column_name = 'notes'"), [{ n: 1 }], 'notes is intact');

  const deployed = await api('POST', '/api/deploys', k.ci, { target: db, revision: 'main-1' });
  t.match(deployed.body.moved.revision, { from: 'main-0', to: 'main-1' });
  const b2 = (await api('POST', '/api/changes', k.ci, change(db, { title: 'drop notes', revision: 'branch-b2', baseRevision: 'main-1', supersedes: b.change.id, migrations: [{ name: '003_drop_notes.sql', sql: DROP_NOTES }] }))).body;
  t.equal(b2.checks.freshness.state, 'green', 'resubmitted on the new base');
  await api('POST', `/api/changes/${b2.change.id}/approve`, k.alice, {});
  const relB2 = await api('POST', `/api/changes/${b2.change.id}/release`, k.ci);
  t.equal(relB2.status, 200);
  t.same(relB2.body.checks && Object.values(relB2.body.checks).map((c) => (c as { state: string }).state), ['green', 'green', 'green', 'green', 'green']);
  t.same(await run(tw.proxyUrl(db), DROP_NOTES), { ok: true }, 'now it goes through');
  const done = await eventually(async () => ((await api('GET', `/api/changes/${b2.change.id}`, k.ci)).body.change.status === 'applied' ? true : null));
  t.ok(done, 'and is recorded as applied');
  t.equal((await api('GET', `/api/changes/${b.change.id}`, k.ci)).body.change.status, 'superseded');
  t.same(await direct(db, 'SELECT count(*)::int AS n FROM customers'), [{ n: 1000 }], 'every customer is still there');

  const audit = await direct<{ event: string; token_id: string | null }>(stateDatabase, 'SELECT event, token_id FROM tripwire.audit ORDER BY id');
  t.ok(audit.some((r) => r.event === 'allowed-by-token' && r.token_id === relA.body.token.id), 'the audit in state records the token pass');
  t.ok(audit.filter((r) => r.event === 'held').length >= 3, 'and the holds');
});
