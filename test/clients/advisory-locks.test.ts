/**
 * Session advisory locks through the proxy (what node-pg-migrate, sqitch and Prisma rely on): a lock
 * taken in one proxied session blocks the others, survives transactions, and passes on at unlock.
 */
import t from 'tap';
import type pg from 'pg';
import { direct, freshDatabase, serverUrl } from '../harness/env.js';
import { startTestProxy } from '../harness/proxy.js';
import { pgClient, waitFor } from './support.js';

const KEY = 7_241_865;

async function pidOf(client: pg.Client): Promise<number> {
  return (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
}

async function advisory(db: string, pid: number) {
  return direct<{ mode: string; granted: boolean }>(
    db,
    `SELECT mode, granted FROM pg_locks WHERE locktype = 'advisory' AND pid = $1 AND objid = $2 ORDER BY mode`,
    [pid, KEY],
  );
}

const tryLock = async (client: pg.Client, fn = 'pg_try_advisory_lock') =>
  (await client.query(`SELECT ${fn}($1) AS got`, [KEY])).rows[0].got as boolean;

t.test('a session advisory lock taken through the proxy blocks other sessions', async (t) => {
  const db = await freshDatabase(t);
  const proxy = await startTestProxy(t);
  const a = await pgClient(t, proxy.url(db));
  const b = await pgClient(t, proxy.url(db));
  const c = await pgClient(t, serverUrl(db));
  const [pidA, pidB] = [await pidOf(a), await pidOf(b)];

  t.equal(await tryLock(a), true, 'session A takes the lock');
  t.equal(await tryLock(b), false, 'proxied session B cannot');
  t.equal(await tryLock(c), false, 'a direct session cannot');

  const blocked = b.query('SELECT pg_advisory_lock($1) AS got', [KEY]);
  await waitFor('B to wait for the lock', async () => ((await advisory(db, pidB))[0]?.granted === false ? true : undefined));
  await a.query('BEGIN');
  await a.query('SELECT 1');
  await a.query('COMMIT');
  t.same(await advisory(db, pidA), [{ mode: 'ExclusiveLock', granted: true }], 'A still holds it after a transaction');
  t.same(await advisory(db, pidB), [{ mode: 'ExclusiveLock', granted: false }], 'B is still waiting');

  t.same((await a.query('SELECT pg_advisory_unlock($1) AS released', [KEY])).rows, [{ released: true }], 'A releases it');
  await blocked;
  t.same(await advisory(db, pidB), [{ mode: 'ExclusiveLock', granted: true }], 'B gets it once A lets go');
  t.equal(await tryLock(a), false, 'now A cannot take it');
  await b.query('SELECT pg_advisory_unlock_all()');

  // Transaction-level locks end with the transaction; shared locks coexist.
  await a.query('BEGIN');
  t.equal(await tryLock(a, 'pg_try_advisory_xact_lock'), true, 'A takes a transaction lock');
  t.equal(await tryLock(b, 'pg_try_advisory_xact_lock'), false, 'B cannot while A is in its transaction');
  await a.query('COMMIT');
  t.equal(await tryLock(b, 'pg_try_advisory_xact_lock'), true, 'B can once A commits');
  t.equal(await tryLock(a, 'pg_try_advisory_lock_shared'), true, 'A takes it shared');
  t.equal(await tryLock(b, 'pg_try_advisory_lock_shared'), true, 'B takes it shared too');
  t.equal(await tryLock(c), false, 'an exclusive request waits behind shared holders');
});
