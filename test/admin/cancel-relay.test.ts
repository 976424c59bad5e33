/**
 * Two tripwire instances behind one address: a client's CancelRequest may reach the other proxy.
 * It passes the key on through the state database (pid and a digest, never the secret), and the
 * proxy holding the session cancels the query.
 */
import t from 'tap';
import { connect } from 'node:net';
import pg from 'pg';
import { pino } from 'pino';
import { cancelRequest } from '../../src/proxy/protocol/frontend-messages.js';
import { StateCancelRelay } from '../../src/queue/state-cancel-relay.js';
import { StateEvents } from '../../src/state/events.js';
import { StateDb } from '../../src/state/state-db.js';
import { freshDatabase, serverUrl } from '../harness/env.js';
import { startTestServe } from './helpers.js';

function sendCancel(port: number, pid: number, secret: number): Promise<void> {
  const key = Buffer.alloc(4);
  key.writeInt32BE(secret);
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(cancelRequest(pid, key)));
    socket.on('error', reject);
    socket.on('close', () => resolve());
  });
}

t.test('a cancel sent to the other proxy cancels the query; a wrong secret cancels nothing', async (t) => {
  const stateDatabase = await freshDatabase(t, 'twstate');
  const db = await freshDatabase(t, 'cancel');
  const a = await startTestServe(t, { stateDatabase });
  const b = await startTestServe(t, { stateDatabase });
  const client = new pg.Client({ connectionString: a.proxyUrl(db) });
  await client.connect();
  t.teardown(() => client.end());
  const { processID, secretKey } = client as unknown as { processID: number; secretKey: number };

  const wrong = client.query('SELECT pg_sleep(1.5) AS slept');
  await sendCancel(b.proxyPort, processID, secretKey ^ 1);
  t.same((await wrong).rows, [{ slept: '' }], 'a wrong secret: the query runs to its end');

  const sleeping = client.query('SELECT pg_sleep(30)');
  // Wait until the query is on the server, so the cancel has something to cancel.
  const watcher = new pg.Client({ connectionString: a.proxyUrl(db) });
  await watcher.connect();
  t.teardown(() => watcher.end());
  for (;;) {
    const { rows } = await watcher.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND state = 'active'");
    if (rows[0].n === 1) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await sendCancel(b.proxyPort, processID, secretKey);
  await t.rejects(sleeping, { code: '57014' }, 'cancelled through the other proxy');
  t.same((await client.query('SELECT 1 AS ok')).rows, [{ ok: 1 }], 'the session goes on');
});

t.test('unknown keys are announced at most perSecond times a second', async (t) => {
  const stateDatabase = await freshDatabase(t, 'twstate');
  const logger = pino({ level: 'silent' });
  const db = await StateDb.open({ url: serverUrl(stateDatabase), logger });
  t.teardown(() => db.close());
  const events = new StateEvents(db, logger);
  await events.start();
  t.teardown(() => events.close());
  const relay = new StateCancelRelay(db, events, logger, 3);
  const heard: number[] = [];
  relay.serve({ cancelByDigest: (pid) => (heard.push(pid), false) });
  const sent = Array.from({ length: 10 }, (_, i) => relay.forward(i + 1, 'ab'.repeat(32)));
  t.same(sent.map((p) => p !== null), [true, true, true, false, false, false, false, false, false, false], 'three announced, the rest dropped');
  await Promise.all(sent);
  for (let i = 0; i < 200 && heard.length < 3; i++) await new Promise((r) => setTimeout(r, 25));
  t.same([...heard].sort(), [1, 2, 3], 'the other proxies hear exactly those');
});
