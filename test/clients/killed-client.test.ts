/**
 * A psql killed with SIGKILL in the middle of a transaction, or of a COPY, through the proxy: its
 * server backend goes away, its locks are released, and its uncommitted rows never appear.
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { pgBinary } from '../harness/binaries.js';
import { direct, freshDatabase, serverUrl } from '../harness/env.js';
import { startTestProxy, type TestProxy } from '../harness/proxy.js';
import { pgClient, spawnClient, waitFor, type Teardown } from './support.js';

interface Backend {
  pid: number;
  state: string;
  query: string;
}

/** Starts psql reading `input` from a stdin that stays open, so it sits there until killed. */
async function stuckPsql(t: Teardown, proxy: TestProxy, db: string, input: string, ready: (b: Backend) => boolean) {
  const app = `tw_killed_${randomBytes(4).toString('hex')}`;
  const child = spawnClient(t, pgBinary('psql'), ['-X', '-q', '-d', `${proxy.url(db)}?application_name=${app}`]);
  child.stdin!.write(input);
  const backend = await waitFor(`psql's backend (${app}) to be ready`, async () => {
    const [b] = await direct<Backend>(db, 'SELECT pid, state, query FROM pg_stat_activity WHERE application_name = $1', [app]);
    return b && ready(b) ? b : undefined;
  });
  return { child, backend };
}

function locksOf(db: string, pid: number) {
  return direct<{ locktype: string; mode: string; granted: boolean; objid: number | null }>(
    db,
    `SELECT locktype, mode, granted, objid::int FROM pg_locks WHERE pid = $1 AND locktype IN ('relation', 'advisory')
      ORDER BY locktype, mode, objid`,
    [pid],
  );
}

async function gone(db: string, pid: number) {
  return waitFor(`backend ${pid} to leave pg_stat_activity`, async () => {
    const rows = await direct(db, 'SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid]);
    return rows.length === 0 ? true : undefined;
  });
}

t.test('killed mid-transaction holding a table lock and advisory locks', async (t) => {
  const db = await freshDatabase(t);
  const proxy = await startTestProxy(t);
  await direct(db, 'CREATE TABLE victim (id int)');
  const input = `BEGIN;
    LOCK TABLE victim IN ACCESS EXCLUSIVE MODE;
    SELECT pg_advisory_lock(4242);
    SELECT pg_advisory_xact_lock(4343);
    INSERT INTO victim VALUES (1), (2);
    SELECT 'ready';
`;
  const { child, backend } = await stuckPsql(t, proxy, db, input, (b) => b.state === 'idle in transaction' && b.query === "SELECT 'ready';");
  const held = await locksOf(db, backend.pid);
  t.match(held, [
    { locktype: 'advisory', mode: 'ExclusiveLock', granted: true, objid: 4242 },
    { locktype: 'advisory', mode: 'ExclusiveLock', granted: true, objid: 4343 },
    { locktype: 'relation', mode: 'AccessExclusiveLock', granted: true },
  ], 'before the kill, the session holds its locks');

  child.kill('SIGKILL');
  t.equal(await gone(db, backend.pid), true, 'the backend leaves pg_stat_activity');
  t.same(await locksOf(db, backend.pid), [], 'no lock of that backend remains');
  t.same(await direct(db, 'SELECT count(*)::int AS n FROM victim'), [{ n: 0 }], 'the uncommitted rows were rolled back');

  const other = await pgClient(t, proxy.url(db));
  await other.query('BEGIN');
  await other.query('LOCK TABLE victim IN ACCESS EXCLUSIVE MODE NOWAIT');
  const { rows } = await other.query('SELECT pg_try_advisory_lock(4242) AS session_lock, pg_try_advisory_xact_lock(4343) AS xact_lock');
  await other.query('ROLLBACK');
  t.same(rows, [{ session_lock: true, xact_lock: true }], 'another session through the proxy takes the same locks at once');
});

t.test('killed in the middle of COPY FROM STDIN', async (t) => {
  const db = await freshDatabase(t);
  const proxy = await startTestProxy(t);
  await direct(db, 'CREATE TABLE victim (id int)');
  const { child, backend } = await stuckPsql(t, proxy, db, 'COPY victim FROM STDIN;\n1\n2\n3\n', (b) => b.state === 'active' && b.query.startsWith('COPY victim'));
  t.match(await locksOf(db, backend.pid), [{ locktype: 'relation', mode: 'RowExclusiveLock', granted: true }], 'the COPY holds its table lock');

  child.kill('SIGKILL');
  t.equal(await gone(db, backend.pid), true, 'the backend leaves pg_stat_activity');
  t.same(await locksOf(db, backend.pid), [], 'no lock of that backend remains');
  t.same(await direct(db, 'SELECT count(*)::int AS n FROM victim'), [{ n: 0 }], 'no row of the broken COPY landed');
  const other = await pgClient(t, serverUrl(db));
  await other.query('BEGIN');
  const locked = await other.query('LOCK TABLE victim IN ACCESS EXCLUSIVE MODE NOWAIT');
  await other.query('ROLLBACK');
  t.equal(locked.command, 'LOCK', 'the table is free');
});
