/**
 * tripwire serve in-process (proxy and admin API over one state database), over real HTTP and
 * real PostgreSQL: two instances sharing the state, metrics that move, policies over HTTP.
 */
import t from 'tap';
import pg from 'pg';
import { pino } from 'pino';
import { StateDb } from '../../src/state/state-db.js';
import { freePort } from '../harness/cluster.js';
import { direct, freshDatabase, serverUrl } from '../harness/env.js';
import { testKeys } from '../harness/plan-keys.js';
import { startProxyProcess } from '../harness/proxy-process.js';
import { change, createKeys, eventually, startTestServe } from './helpers.js';
import { loadNativeRelay } from '../../src/proxy/native-relay.js';

async function sql(url: string, text: string): Promise<{ ok: boolean; code?: string; notices: string[] }> {
  const c = new pg.Client({ connectionString: url });
  const notices: string[] = [];
  c.on('notice', (n) => notices.push(n.message ?? ''));
  await c.connect();
  try {
    await c.query(text);
    return { ok: true, notices };
  } catch (err) {
    return { ok: false, code: (err as { code: string }).code, notices };
  } finally {
    await c.end();
  }
}

async function keysFor(t: { teardown(fn: () => unknown): void }, stateDatabase: string) {
  const state = await StateDb.open({ url: serverUrl(stateDatabase), logger: pino({ level: 'silent' }) });
  t.teardown(() => state.close());
  return createKeys(state);
}

/** Prometheus text exposition, parsed strictly enough to fail on anything malformed. */
/** Prometheus's own parser takes NaN and Inf in any case (prom-client writes `Nan` for an empty event-loop lag sample). */
function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || /^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$/.test(line)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|[Nn][Aa][Nn]|[+-][Ii]nf)( -?\d+)?$/.exec(line);
    if (!m) throw new Error(`not Prometheus text: ${JSON.stringify(line)}`);
    samples.set(`${m[1]}${m[2] ?? ''}`, Number(m[3]));
  }
  return samples;
}

t.test('two instances share one state database: a release made through one is honoured by the other', async (t) => {
  const keys = await testKeys(t);
  const stateDatabase = await freshDatabase(t, 'twstate');
  const db = await freshDatabase(t, 'twcrm');
  await direct(db, "CREATE TABLE orders (id int PRIMARY KEY, legacy text); INSERT INTO orders SELECT g, 'x' FROM generate_series(1, 50) g;");
  const one = await startTestServe(t, { stateDatabase, signingKey: keys.privatePath });
  const two = await startTestServe(t, { stateDatabase });
  const k = await keysFor(t, stateDatabase);
  const DROP = 'ALTER TABLE orders DROP COLUMN legacy';

  t.match(await sql(two.proxyUrl(db), DROP), { ok: false, code: 'TW001' }, 'held by the second instance before the release');
  await one.call('POST', '/api/deploys', k.ci, { target: db, revision: 'r0' });
  const sub = (await one.call('POST', '/api/changes', k.ci, change(db, { migrations: [{ name: '9_drop_legacy.sql', sql: DROP + ';' }] }))).body;
  t.equal((await two.call('POST', `/api/changes/${sub.change.id}/approve`, k.alice, {})).status, 200, 'approved through the other instance');
  const rel = await one.call('POST', `/api/changes/${sub.change.id}/release`, k.ci);
  t.equal(rel.status, 200);
  t.same(await sql(two.proxyUrl(db), DROP), { ok: true, notices: [`tripwire: allowed by plan ${rel.body.token.id}: ${rel.body.change.findings[0].message}`] }, 'the second proxy honours the release: keys and token come from the state');
  const applied = await eventually(async () => ((await one.call('GET', `/api/changes/${sub.change.id}`, k.ci)).body.change.status === 'applied' ? true : null));
  t.ok(applied, 'the use recorded by the second instance shows on the first');
  t.match(await sql(one.proxyUrl(db), 'DROP TABLE orders'), { ok: false, code: 'TW001' }, 'the used-up token covers nothing else');
});

t.test('/metrics parses as Prometheus text and moves when statements are held', async (t) => {
  const stateDatabase = await freshDatabase(t, 'twstate');
  const db = await freshDatabase(t, 'twcrm');
  await direct(db, 'CREATE TABLE victims (id int); INSERT INTO victims VALUES (1), (2);');
  const tw = await startTestServe(t, { stateDatabase });
  const before = parsePrometheus((await tw.call('GET', '/metrics')).text);
  t.ok(before.has('process_cpu_user_seconds_total'), 'default process metrics');
  t.ok(before.has('nodejs_heap_size_used_bytes'));
  t.equal(before.get('tripwire_queue_changes{state="queued"}'), 0, 'queue changes by state, read from the state database');
  t.equal(before.get('tripwire_holds_total{rule="drop-table"}') ?? 0, 0);

  t.match(await sql(tw.proxyUrl(db), 'DROP TABLE victims'), { ok: false, code: 'TW001' });
  t.match(await sql(tw.proxyUrl(db), 'TRUNCATE victims'), { ok: false, code: 'TW001' });
  t.match(await sql(tw.proxyUrl(db, '-c tripwire.plan=not-a-token'), 'DROP TABLE victims'), { ok: false, code: 'TW008' }, 'no key is published yet: refused as no-keys');
  t.same(await sql(tw.proxyUrl(db), 'SELECT count(*) FROM victims'), { ok: true, notices: [] });
  const res = await tw.call('GET', '/metrics');
  t.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  const after = parsePrometheus(res.text);
  t.equal(after.get('tripwire_holds_total{rule="drop-table"}'), 2);
  t.equal(after.get('tripwire_holds_total{rule="truncate"}'), 1);
  t.ok((after.get('tripwire_statements_inspected_total{verdict="hold"}') ?? 0) >= 3, 'statements inspected by verdict');
  t.ok((after.get('tripwire_statements_inspected_total{verdict="pass"}') ?? 0) >= 1);
  t.equal(after.get('tripwire_plan_tokens_total{result="refused",reason="no-keys"}'), 1, 'tokens refused by reason');
  t.equal(after.get('tripwire_plan_tokens_total{result="refused",reason="none-released"}'), 2);
  t.ok((after.get('tripwire_inspection_seconds_count') ?? 0) >= 4, 'the inspection latency histogram');
  t.equal(after.get('tripwire_proxy_connections_total'), 4);
  const sent = after.get('tripwire_proxy_bytes_total{direction="client_to_server"}') ?? 0;
  const received = after.get('tripwire_proxy_bytes_total{direction="server_to_client"}') ?? 0;
  t.ok(sent > 4 * 8, `bytes from clients counted (${sent}): four startup packets and their queries`);
  t.ok(received > sent, `bytes from the server counted (${received}): auth, parameters, errors, rows`);

  // An open session's bytes count at the next scrape, before it closes.
  const open = new pg.Client({ connectionString: tw.proxyUrl(db) });
  await open.connect();
  t.teardown(() => open.end().catch(() => undefined));
  await open.query("SELECT repeat('x', 100000)");
  const during = parsePrometheus((await tw.call('GET', '/metrics')).text);
  t.ok((during.get('tripwire_proxy_bytes_total{direction="server_to_client"}') ?? 0) > received + 100_000, 'a 100 kB row counted while its session is still open');
  t.equal(during.get('tripwire_proxy_native_sessions'), loadNativeRelay().ok ? 1 : 0, 'the open session is on the native relay (when built)');
  // Statements the native relay's filter passes (no judge call) still count as inspected passes.
  const passedBefore = during.get('tripwire_statements_inspected_total{verdict="pass"}') ?? 0;
  for (let i = 0; i < 10; i++) await open.query(`SELECT ${i} AS n`);
  const later = parsePrometheus((await tw.call('GET', '/metrics')).text);
  t.equal(later.get('tripwire_statements_inspected_total{verdict="pass"}'), passedBefore + 10, 'ten plain reads, ten passes, on either relay');
  t.same(await direct(db, 'SELECT count(*)::int AS n FROM victims'), [{ n: 2 }]);
});

t.test('/metrics counts upstream failures by kind', async (t) => {
  const stateDatabase = await freshDatabase(t, 'twstate');
  const dead = await freePort();
  const tw = await startTestServe(t, { stateDatabase, upstreamUrl: `postgres://postgres@127.0.0.1:${dead}/postgres` });
  const c = new pg.Client({ connectionString: tw.proxyUrl('postgres') });
  c.on('error', () => undefined);
  const err = await c.connect().then(() => null, (e: { code?: string; message: string }) => e);
  t.match(err, { code: '08006', message: /tripwire cannot reach the upstream server/ });
  const m = parsePrometheus((await tw.call('GET', '/metrics')).text);
  t.equal(m.get('tripwire_upstream_errors_total{kind="unreachable"}'), 1);
});

t.test('policies over HTTP: a bad one gets 400 with line and field; a good one reaches the proxy without a restart', async (t) => {
  const stateDatabase = await freshDatabase(t, 'twstate');
  const db = await freshDatabase(t, 'twcrm');
  await direct(db, 'CREATE TABLE scratch (id int); INSERT INTO scratch VALUES (1);');
  const tw = await startTestServe(t, { stateDatabase, policyPollMs: 200 });
  const k = await keysFor(t, stateDatabase);

  const bad = await tw.call('PUT', '/api/policies/relaxed', k.admin, 'version: 1\nmode: enforce\nrules:\n  drop-tabel: allow\n');
  t.equal(bad.status, 400);
  t.equal(bad.body.error.code, 'TW_POLICY_INVALID');
  t.match(bad.body.error.details, [{ line: 4, column: 3, field: 'rules.drop-tabel', message: /unknown rule id "drop-tabel" \(did you mean "drop-table"\?\)/ }]);
  t.match(bad.body.error.message, /relaxed:4:3: rules.drop-tabel/);
  const yaml = await tw.call('PUT', '/api/policies/relaxed', k.admin, 'mode: [observe\n');
  t.match(yaml.body.error, { status: 400, code: 'TW_POLICY_INVALID', details: [{ line: 2, field: '(yaml)', message: /YAML/ }] });
  const badName = await tw.call('PUT', '/api/policies/Bad%20Name', k.admin, 'version: 1\n');
  t.match(badName.body.error, { status: 400, message: /params\/name must match pattern/ });

  t.match(await sql(tw.proxyUrl(db), 'DROP TABLE scratch'), { ok: false, code: 'TW001' });
  const put = await tw.call('PUT', '/api/policies/scratch', k.admin, 'version: 1\nexemptions:\n  - rules: [drop-table]\n    match: { table: scratch }\n    reason: rebuilt nightly\n');
  t.equal(put.status, 201);
  t.match(put.body.policy, { name: 'scratch', version: 1, updatedBy: 'ops' });
  const listed = await tw.call('GET', '/api/policies', k.ci);
  t.same(listed.body.policies.map((p: { name: string }) => p.name), ['scratch']);
  t.match((await tw.call('GET', '/api/policies/scratch', k.alice)).body.policy.body, /rebuilt nightly/);
  const dropScratch = async () => {
    await sql(tw.proxyUrl(db), 'CREATE TABLE IF NOT EXISTS scratch (id int)');
    await sql(tw.proxyUrl(db), 'INSERT INTO scratch VALUES (1)');
    return sql(tw.proxyUrl(db), 'DROP TABLE scratch');
  };
  const passed = await eventually(async () => ((await dropScratch()).ok ? true : null));
  t.ok(passed, 'the proxy picked up the uploaded exemption without a restart');
  const again = await tw.call('PUT', '/api/policies/scratch', k.admin, 'version: 1\n');
  t.equal(again.status, 200);
  t.equal(again.body.policy.version, 2);
  const heldAgain = await eventually(async () => ((await dropScratch()).code === 'TW001' ? true : null));
  t.ok(heldAgain, 'and the replacement too');
});

t.test('tripwire proxy --state-url: a lone proxy process honours the queue\'s releases and audits into the state', async (t) => {
  const keys = await testKeys(t);
  const stateDatabase = await freshDatabase(t, 'twstate');
  const db = await freshDatabase(t, 'twcrm');
  await direct(db, "CREATE TABLE orders (id int PRIMARY KEY, legacy text); INSERT INTO orders SELECT g, 'x' FROM generate_series(1, 50) g;");
  const admin = await startTestServe(t, { stateDatabase, signingKey: keys.privatePath });
  const proxy = await startProxyProcess(t, { args: ['--state-url', serverUrl(stateDatabase)] });
  const k = await keysFor(t, stateDatabase);
  const DROP = 'ALTER TABLE orders DROP COLUMN legacy';

  t.match(await sql(proxy.url(db), DROP), { ok: false, code: 'TW001' }, 'held before any release');
  await admin.call('POST', '/api/deploys', k.ci, { target: db, revision: 'r0' });
  const sub = (await admin.call('POST', '/api/changes', k.ci, change(db, { migrations: [{ name: '9_drop_legacy.sql', sql: DROP + ';' }] }))).body;
  await admin.call('POST', `/api/changes/${sub.change.id}/approve`, k.alice, {});
  const rel = await admin.call('POST', `/api/changes/${sub.change.id}/release`, k.ci);
  t.equal(rel.status, 200);
  const ran = await eventually(async () => {
    const r = await sql(proxy.url(db), DROP);
    return r.ok ? r : null;
  });
  t.same(ran?.notices, [`tripwire: allowed by plan ${rel.body.token.id}: ${rel.body.change.findings[0].message}`], 'the release reached the lone proxy with nothing in the URL');
  t.same(await direct(db, "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'legacy'"), [{ n: 0 }]);
  // The audit sink writes in the background: wait for both rows.
  const audit = await eventually(async () => {
    const rows = await direct(stateDatabase, "SELECT event, database FROM tripwire.audit WHERE statement LIKE 'ALTER TABLE orders DROP COLUMN legacy%' ORDER BY id");
    return rows.length >= 2 ? rows : null;
  });
  t.same(audit, [{ event: 'held', database: db }, { event: 'allowed-by-token', database: db }], 'the lone proxy audits into the state database');
});
