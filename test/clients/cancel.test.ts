/**
 * Cancelling `SELECT pg_sleep(30)` through the proxy ends it with 57014, as it does directly, and
 * the session goes on. Each test has a 15 s limit: a cancel the proxy dropped would run into it.
 */
import t from 'tap';
import { freshDatabase, serverUrl } from '../harness/env.js';
import { startTestProxy } from '../harness/proxy.js';
import { activeBackend, finished, postgresJs, spawnClient } from './support.js';
import { pgBinary } from '../harness/binaries.js';

const SLEEP = 'SELECT pg_sleep(30)';

t.test('postgres.js query.cancel()', { timeout: 15_000 }, async (t) => {
  const db = await freshDatabase(t);
  const proxy = await startTestProxy(t);
  const cancelled = async (url: string) => {
    const sql = postgresJs(t, url);
    await sql`SELECT 1`;
    const query = sql.unsafe(SLEEP);
    const settled = query.then(
      () => ({ finished: true }),
      (e: { code?: string; message: string; severity?: string }) => ({ code: e.code, severity: e.severity, message: e.message }),
    );
    await activeBackend(db, SLEEP);
    query.cancel();
    const outcome = await settled;
    const [after] = await sql`SELECT 'still usable' AS s`;
    return { outcome, after };
  };
  const viaDirect = await cancelled(serverUrl(db));
  const viaProxy = await cancelled(proxy.url(db));
  t.same(viaDirect.outcome, { code: '57014', severity: 'ERROR', message: 'canceling statement due to user request' }, 'direct: cancelled with 57014');
  t.same(viaProxy, viaDirect, 'through the proxy: the same error, and the session goes on');
});

t.test('psql interrupted with SIGINT', { timeout: 15_000 }, async (t) => {
  const db = await freshDatabase(t);
  const proxy = await startTestProxy(t);
  const interrupted = async (url: string) => {
    const child = spawnClient(t, pgBinary('psql'), ['-X', '-v', 'VERBOSITY=verbose', '-d', url, '-c', SLEEP]);
    child.stdin?.end();
    const done = finished(child);
    await activeBackend(db, SLEEP);
    child.kill('SIGINT');
    return done;
  };
  const viaDirect = await interrupted(serverUrl(db));
  const viaProxy = await interrupted(proxy.url(db));
  t.equal(viaDirect.status, 1, 'direct: psql exits 1');
  t.match(viaDirect.stderr, /^Cancel request sent\nERROR:  57014: canceling statement due to user request\n/, 'direct: cancelled with 57014');
  t.same(viaProxy, viaDirect, 'through the proxy: the same output and exit code');
});
