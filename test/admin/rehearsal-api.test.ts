/**
 * Rehearsals through the admin API and the `tripwire rehearse` binary: started, followed, refused
 * when they cannot run, and bound to the exact migrations rehearsed.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { pino } from 'pino';
import { StateDb } from '../../src/state/state-db.js';
import { direct, freshDatabase, serverUrl } from '../harness/env.js';
import { change, createKeys, eventually, startTestServe } from './helpers.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** The binary, run without blocking this process (the API it talks to lives here). */
function tripwire(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const CRM = "CREATE TABLE customers (id int PRIMARY KEY, phone text); INSERT INTO customers SELECT g, '555-' || g FROM generate_series(1, 2000) g;";

async function setup(t: { teardown(fn: () => unknown): void }, staging = true) {
  const stateDatabase = await freshDatabase(t, 'twstate');
  const prod = await freshDatabase(t, 'rp_prod');
  const stage = await freshDatabase(t, 'rp_stage');
  await direct(prod, CRM);
  await direct(stage, CRM);
  const tw = await startTestServe(t, { stateDatabase, settings: { requireRehearsal: true }, ...(staging ? { staging: [`${prod}=${stage}`] } : {}) });
  const state = await StateDb.open({ url: serverUrl(stateDatabase), logger: pino({ level: 'silent' }) });
  t.teardown(() => state.close());
  return { tw, prod, stage, k: await createKeys(state) };
}

t.test('no staging configured: the check says how to configure it, and a rehearsal is refused with 409', async (t) => {
  const { tw, prod, k } = await setup(t, false);
  const sub = (await tw.call('POST', '/api/changes', k.ci, change(prod))).body;
  t.match(sub.checks.rehearsal, { state: 'pending', reason: `not rehearsed: no staging database is configured for ${prod} (start tripwire with --staging ${prod}=<staging URL>)` });
  const res = await tw.call('POST', `/api/changes/${sub.change.id}/rehearse`, k.ci, {});
  t.equal(res.status, 409);
  t.match(res.body.error, { code: 'TW_STAGING_NOT_CONFIGURED', message: `no staging database is configured for ${prod}: start tripwire with --staging ${prod}=<staging URL>` });
});

t.test('the API: 202 with a status URL, progress while it runs, busy while running, 404 and 401, 400 on a bad body', async (t) => {
  const { tw, prod, stage, k } = await setup(t);
  const sub = (await tw.call('POST', '/api/changes', k.ci, change(prod, { migrations: [{ name: '001.sql', sql: 'ALTER TABLE customers ADD COLUMN email text;' }] }))).body;
  const id = sub.change.id as number;
  t.equal((await tw.call('GET', `/api/changes/${id}/rehearsal`, k.ci)).status, 404, 'nothing rehearsed yet');
  t.equal((await tw.call('POST', `/api/changes/${id}/rehearse`, null, {})).status, 401);
  t.equal((await tw.call('POST', `/api/changes/${id}/rehearse`, k.alice, {})).status, 403, 'approvers do not run rehearsals');
  const bad = await tw.call('POST', `/api/changes/${id}/rehearse`, k.ci, { rowLimit: 0 });
  t.equal(bad.status, 400);
  t.match(bad.body.error.message, /rowLimit/);
  t.equal((await tw.call('POST', '/api/changes/999999/rehearse', k.ci, {})).status, 404);
  const started = await tw.call('POST', `/api/changes/${id}/rehearse`, k.ci, {});
  t.equal(started.status, 202);
  t.equal(started.headers.get('location'), `/api/changes/${id}/rehearsal`);
  t.equal(started.body.rehearsal.state, 'running');
  const again = await tw.call('POST', `/api/changes/${id}/rehearse`, k.ci, {});
  t.match(again, { status: 409, body: { error: { code: 'TW_REHEARSAL_BUSY' } } }, 'one rehearsal of a change at a time');
  const done = await eventually(async () => {
    const r = (await tw.call('GET', `/api/changes/${id}/rehearsal`, k.alice)).body.rehearsal;
    return r.state === 'running' ? null : r;
  });
  t.equal(done.state, 'green', done.summary);
  t.same([...new Set(done.progress.map((p: { step: string }) => p.step))], ['drift', 'before', 'run', 'after', 'verify']);
  t.match((await tw.call('GET', `/api/changes/${id}`, k.ci)).body.checks.rehearsal, { state: 'green', reason: /^data survived/ });
  t.same(await direct(stage, "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'customers' AND column_name = 'email'"), [{ n: 1 }], 'ran on staging');
  t.same(await direct(prod, "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'customers' AND column_name = 'email'"), [{ n: 0 }], 'not on production');
});

t.test('tripwire rehearse: progress lines and the report; exit 1 when red; a resubmitted change needs a new rehearsal', async (t) => {
  const { tw, prod, k } = await setup(t);
  const env = { TRIPWIRE_API_URL: tw.url, TRIPWIRE_API_KEY: k.ci };
  const drop = (await tw.call('POST', '/api/changes', k.ci, change(prod, { migrations: [{ name: '001.sql', sql: 'ALTER TABLE customers DROP COLUMN phone;\nALTER TABLE customers ADD COLUMN phone text;' }] }))).body;
  const red = await tripwire(['rehearse', String(drop.change.id), '--poll-ms', '50'], env);
  t.equal(red.code, 1, red.stderr);
  t.match(red.stdout, /^\[drift\] comparing the staging schema with production$/m);
  t.match(red.stdout, /^\[run\] 1\/1 migration 001\.sql$/m, 'a line per step, with counts off a TTY');
  t.match(red.stdout, /rehearsal on staging: RED: customers\.phone: 2,000 values before, 0 after, found in no column/);
  const fixed = (
    await tw.call('POST', '/api/changes', k.ci, change(prod, { supersedes: drop.change.id, migrations: [{ name: '001.sql', sql: 'ALTER TABLE customers DROP COLUMN phone;' }], discards: [{ column: 'public.customers.phone', reason: 'phones now live in the billing system' }] }))
  ).body;
  t.match(fixed.checks.rehearsal, { state: 'pending' }, 'the red rehearsal belongs to the old change');
  const fresh = await tripwire(['rehearse', String(fixed.change.id), '--fresh-from-production', '--poll-ms', '50', '--json'], env);
  t.equal(fresh.code, 0, fresh.stdout + fresh.stderr);
  const run = JSON.parse(fresh.stdout).rehearsal;
  t.match(run, { state: 'green', summary: 'data survived: 2,000 rows in customers kept; customers.phone discarded as declared (2,000 values)' });
  t.match(run.report.text, /discarded: customers\.phone: 2,000 values; the change says: phones now live in the billing system/);
  t.ok(run.progress.some((p: { step: string }) => p.step === 'fresh'), 'staging rebuilt from production first');
  const usage = await tripwire(['rehearse', 'abc'], env);
  t.equal(usage.code, 2);
});

t.test('a staging that cannot be reached: the run fails with the reason, and the check stays pending', async (t) => {
  const stateDatabase = await freshDatabase(t, 'twstate');
  const prod = await freshDatabase(t, 'rp_prod');
  await direct(prod, CRM);
  const tw = await startTestServe(t, { stateDatabase, settings: { requireRehearsal: true }, staging: [`${prod}=no_such_staging_db`] });
  const state = await StateDb.open({ url: serverUrl(stateDatabase), logger: pino({ level: 'silent' }) });
  t.teardown(() => state.close());
  const k = await createKeys(state);
  const sub = (await tw.call('POST', '/api/changes', k.ci, change(prod))).body;
  const res = await tw.call('POST', `/api/changes/${sub.change.id}/rehearse`, k.ci, { wait: true });
  t.equal(res.status, 200);
  t.match(res.body.rehearsal, { state: 'failed', error: /^the rehearsal could not run: cannot connect to staging: database "no_such_staging_db" does not exist/ });
  t.match((await tw.call('GET', `/api/changes/${sub.change.id}`, k.ci)).body.checks.rehearsal, { state: 'pending', reason: /not rehearsed on staging yet/ }, 'nothing recorded');
});

t.test('two instances: a rehearsal running on one is followed and refused as busy on the other; an abandoned one is taken over', async (t) => {
  const stateDatabase = await freshDatabase(t, 'twstate');
  const prod = await freshDatabase(t, 'rp_prod');
  const stage = await freshDatabase(t, 'rp_stage');
  await direct(prod, CRM);
  await direct(stage, CRM);
  const options = { stateDatabase, settings: { requireRehearsal: true }, staging: [`${prod}=${stage}`] };
  const a = await startTestServe(t, options);
  const b = await startTestServe(t, options);
  const state = await StateDb.open({ url: serverUrl(stateDatabase), logger: pino({ level: 'silent' }) });
  t.teardown(() => state.close());
  const k = await createKeys(state);
  const id = (await a.call('POST', '/api/changes', k.ci, change(prod, { migrations: [{ name: '001.sql', sql: 'ALTER TABLE customers ADD COLUMN email text;' }] }))).body.change.id as number;

  // Hold the rehearsal at its first snapshot: a lock on the staging table it must read.
  const blocker = new pg.Client({ connectionString: serverUrl(stage) });
  await blocker.connect();
  t.teardown(() => blocker.end().catch(() => undefined));
  await blocker.query('BEGIN');
  await blocker.query('LOCK TABLE customers IN ACCESS EXCLUSIVE MODE');

  t.equal((await a.call('POST', `/api/changes/${id}/rehearse`, k.ci, {})).status, 202, 'started on instance A');
  const seenOnB = await eventually(async () => {
    const r = (await b.call('GET', `/api/changes/${id}/rehearsal`, k.ci)).body?.rehearsal;
    return r?.state === 'running' && r.progress.some((p: { step: string }) => p.step === 'before') ? r : null;
  });
  t.ok(seenOnB, 'instance B sees it running, with the progress lines A has written');
  t.match(await b.call('POST', `/api/changes/${id}/rehearse`, k.ci, {}), { status: 409, body: { error: { code: 'TW_REHEARSAL_BUSY' } } }, 'and will not start a second one');
  const other = (await b.call('POST', '/api/changes', k.ci, change(prod, { title: 'another', revision: 'def2', migrations: [{ name: '001.sql', sql: 'CREATE INDEX ON customers (phone);' }] }))).body.change.id as number;
  t.match(
    await b.call('POST', `/api/changes/${other}/rehearse`, k.ci, {}),
    { status: 409, body: { error: { code: 'TW_STAGING_BUSY', message: `the staging database of ${prod} is busy with another rehearsal: try again when it has finished` } } },
    'another change waits: one rehearsal at a time on a staging database',
  );

  await blocker.query('COMMIT');
  const finished = await eventually(async () => {
    const r = (await b.call('GET', `/api/changes/${id}/rehearsal`, k.ci)).body.rehearsal;
    return r.state === 'running' ? null : r;
  }, 30_000);
  t.equal(finished.state, 'green', finished.summary);
  t.match(finished.summary, /^data survived/);

  // An instance that died mid-rehearsal leaves a run nobody beats for: it reads as failed and a new one may start.
  await direct(stateDatabase, `UPDATE tripwire.rehearsal_runs SET state = 'running', finished_at = NULL, heartbeat_at = now() - interval '1 hour' WHERE change_id = ${id}`);
  const abandoned = (await b.call('GET', `/api/changes/${id}/rehearsal`, k.ci)).body.rehearsal;
  t.equal(abandoned.state, 'failed');
  t.match(abandoned.error, /the tripwire instance running it stopped/);
  await direct(stage, 'ALTER TABLE customers DROP COLUMN email');
  t.equal((await b.call('POST', `/api/changes/${id}/rehearse`, k.ci, {})).status, 202, 'B takes it over');
  const again = await eventually(async () => {
    const r = (await a.call('GET', `/api/changes/${id}/rehearsal`, k.ci)).body.rehearsal;
    return r.state === 'running' ? null : r;
  }, 30_000);
  t.equal(again.state, 'green', 'and A, which ran the first one, shows the newer result');
});
