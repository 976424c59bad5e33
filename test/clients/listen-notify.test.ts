/**
 * LISTEN/NOTIFY through the proxy: a proxied listener receives exactly the notifications a direct
 * listener receives (channel, payload, sender pid, order), including ones that arrive while it is
 * idle, only committed ones, and none after UNLISTEN.
 */
import t from 'tap';
import type pg from 'pg';
import { freshDatabase, serverUrl } from '../harness/env.js';
import { startTestProxy } from '../harness/proxy.js';
import { pgClient, waitFor } from './support.js';

interface Heard {
  channel: string;
  payload: string | undefined;
  processId: number;
}

async function listener(client: pg.Client): Promise<Heard[]> {
  const heard: Heard[] = [];
  client.on('notification', (n) => heard.push({ channel: n.channel, payload: n.payload, processId: n.processId }));
  await client.query('LISTEN "chan one"; LISTEN chan2');
  return heard;
}

t.test('notifications reach a proxied listener exactly as a direct one', async (t) => {
  const db = await freshDatabase(t);
  const proxy = await startTestProxy(t);
  const heardDirect = await listener(await pgClient(t, serverUrl(db)));
  const heardProxy = await listener(await pgClient(t, proxy.url(db)));
  const viaProxy = await pgClient(t, proxy.url(db));
  const viaDirect = await pgClient(t, serverUrl(db));
  const proxyPid = (await viaProxy.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
  const directPid = (await viaDirect.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
  const big = 'é'.repeat(3000);

  await viaProxy.query("SELECT pg_notify('chan one', 'first')");
  await viaProxy.query("BEGIN; NOTIFY chan2, 'in a transaction'; NOTIFY chan2, 'in a transaction'; SELECT pg_notify('chan one', 'second'); COMMIT");
  await viaProxy.query("BEGIN; NOTIFY chan2, 'rolled back'; ROLLBACK");
  await viaDirect.query('SELECT pg_notify($1, $2)', ['chan one', big]);
  await viaProxy.query('NOTIFY chan2');
  await viaProxy.query('UNLISTEN chan2');
  await viaProxy.query(`NOTIFY "chan one", 'done'`);
  const done = (heard: Heard[]) => (heard.some((h) => h.payload === 'done') ? true : undefined);
  await waitFor('both listeners to hear "done"', async () => (done(heardDirect) && done(heardProxy)) || undefined);

  t.same(heardDirect, [
    { channel: 'chan one', payload: 'first', processId: proxyPid },
    { channel: 'chan2', payload: 'in a transaction', processId: proxyPid },
    { channel: 'chan one', payload: 'second', processId: proxyPid },
    { channel: 'chan one', payload: big, processId: directPid },
    { channel: 'chan2', payload: '', processId: proxyPid },
    { channel: 'chan one', payload: 'done', processId: proxyPid },
  ], 'direct: committed notifications, once each, in order');
  t.same(heardProxy, heardDirect, 'the proxied listener heard exactly the same');

  // UNLISTEN through the proxy takes effect for the proxied listener too.
  const proxiedListener = await pgClient(t, proxy.url(db));
  const heardAfter = await listener(proxiedListener);
  await proxiedListener.query('UNLISTEN chan2');
  await viaDirect.query("NOTIFY chan2, 'unheard'; NOTIFY \"chan one\", 'heard'");
  await waitFor('the listener to hear "heard"', async () => (heardAfter.length ? true : undefined));
  t.same(heardAfter, [{ channel: 'chan one', payload: 'heard', processId: directPid }], 'after UNLISTEN chan2 only "chan one" arrives');
});
