/**
 * The upstream server restarts under the proxy: connected clients get an error (an ErrorResponse,
 * then a closed connection), connections made while it is down are refused with an error, and new
 * connections through the same proxy work once it is back.
 */
import t from 'tap';
import pg from 'pg';
import { startCluster } from '../harness/cluster.js';
import { startTestProxy } from '../harness/proxy.js';
import { pgClient, rejection, waitFor } from './support.js';

/** Resolves when the client's connection has ended (pg emits 'end' once its socket closes). */
function ended(client: pg.Client): Promise<true> {
  return new Promise((resolve) => client.once('end', () => resolve(true)));
}

t.test('clients through the proxy across an upstream restart', { timeout: 90_000 }, async (t) => {
  const cluster = await startCluster();
  t.teardown(() => cluster.destroy());
  const proxy = await startTestProxy(t, { upstreamUrl: cluster.url() });
  const url = proxy.url('postgres');
  const startTime = async (client: pg.Client) => (await client.query('SELECT pg_postmaster_start_time()::text AS t')).rows[0].t as string;

  const idle = await pgClient(t, url);
  const busy = await pgClient(t, url);
  const idleErrors: Array<Error & { code?: string }> = [];
  idle.on('error', (e) => idleErrors.push(e));
  const idleEnded = ended(idle);
  const before = await startTime(idle);
  const busyQuery = rejection(busy.query('SELECT pg_sleep(30)'));
  await waitFor('the sleep to run on the server', async () => {
    const watcher = new pg.Client({ connectionString: cluster.url() });
    await watcher.connect();
    try {
      const { rows } = await watcher.query("SELECT 1 FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND state = 'active'");
      return rows.length ? true : undefined;
    } finally {
      await watcher.end();
    }
  });

  cluster.stop();
  const busyError = await busyQuery;
  t.match(busyError, { code: /^(08|57)/ }, 'the client in a query gets an ErrorResponse with a connection SQLSTATE', { error: busyError });
  t.equal(await idleEnded, true, 'the idle client sees its connection closed');
  t.match(idleErrors[0], { code: /^(08|57)/ }, 'the idle client gets an ErrorResponse too', { errors: idleErrors });
  t.match(await rejection(idle.query('SELECT 1')), { message: /not queryable|Connection terminated/ }, 'the idle client cannot query any more');

  const whileDown = await rejection(new pg.Client({ connectionString: url, connectionTimeoutMillis: 15_000 }).connect());
  t.match(whileDown, { code: /^08/ }, 'a connection made while the server is down is refused with an 08 error', { error: whileDown });

  cluster.start();
  const fresh = await pgClient(t, url);
  const after = await startTime(fresh);
  t.ok(after > before, 'a new connection through the same proxy reaches the restarted server', { before, after });
  const { rows } = await fresh.query('SELECT sum(g)::int AS s FROM generate_series(1, 100) g');
  t.same(rows, [{ s: 5050 }], 'and its queries work');
  const sessions = await waitFor('the proxy to drop the closed sessions', async () => (proxy.server.sessionCount === 1 ? 1 : undefined));
  t.equal(sessions, 1, 'the proxy holds only the new session');
});
