import t from 'tap';
import pg from 'pg';
import { freshDatabase, direct } from '../harness/env.js';
import { startTestProxy } from '../harness/proxy.js';
import { fields, WireClient } from '../harness/wire.js';
import { serialize } from '../harness/frontend.js';
import { freePort } from '../harness/cluster.js';

function startupPacket(version: number, params: Record<string, string>): Buffer {
  const body = Buffer.concat([...Object.entries(params).flatMap(([k, v]) => [Buffer.from(k + '\0'), Buffer.from(v + '\0')]), Buffer.from([0])]);
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + body.length, 0);
  head.writeInt32BE(version, 4);
  return Buffer.concat([head, body]);
}

const fatal = (m: { type: string; body: Buffer } | null | undefined) => (m && m.type === 'E' ? fields(m.body) : undefined);

t.test('startup negotiation', async (t) => {
  const db = await freshDatabase(t);
  const proxy = await startTestProxy(t);

  t.test('SSLRequest gets N, then a plain startup works', async (t) => {
    const c = await WireClient.open(proxy.port);
    t.teardown(() => c.close());
    c.send(serialize.requestSsl());
    t.equal((await c.readBytes(1)).toString(), 'N');
    const msgs = await c.login(db);
    t.equal(msgs.at(-1)?.type, 'Z');
  });

  t.test('GSSENCRequest gets N', async (t) => {
    const c = await WireClient.open(proxy.port);
    t.teardown(() => c.close());
    const gss = Buffer.alloc(8);
    gss.writeInt32BE(8, 0);
    gss.writeInt32BE(80877104, 4);
    c.send(gss);
    t.equal((await c.readBytes(1)).toString(), 'N');
    t.equal((await c.login(db)).at(-1)?.type, 'Z');
  });

  t.test('protocol 3.2 is negotiated by the server, not refused by the proxy', async (t) => {
    const c = await WireClient.open(proxy.port);
    t.teardown(() => c.close());
    c.send(startupPacket((3 << 16) | 2, { user: 'postgres', database: db }));
    const msgs = await c.untilReady();
    const types = msgs.map((m) => m.type);
    t.ok(types.includes('v') || types.includes('R'), 'NegotiateProtocolVersion or straight to auth');
    t.equal(types.at(-1), 'Z');
    const key = msgs.find((m) => m.type === 'K');
    t.ok(key, 'the client gets a cancel key');
  });

  t.test('protocol 4.0 is refused with 0A000', async (t) => {
    const c = await WireClient.open(proxy.port);
    t.teardown(() => c.close());
    c.send(startupPacket(4 << 16, { user: 'postgres' }));
    t.match(fatal(await c.next()), { S: 'FATAL', C: '0A000', M: /unsupported frontend protocol 4.0/ });
    t.ok(await c.waitClosed());
  });

  t.test('a startup packet over maxStartupBytes is refused with 08P01', async (t) => {
    const c = await WireClient.open(proxy.port);
    t.teardown(() => c.close());
    c.send(startupPacket(3 << 16, { user: 'postgres', application_name: 'x'.repeat(20_000) }));
    t.match(fatal(await c.next()), { C: '08P01', M: /maxStartupBytes/ });
    t.ok(await c.waitClosed());
  });

  t.test('the client gets the proxy’s cancel key, not the server’s', async (t) => {
    const c = await WireClient.open(proxy.port);
    t.teardown(() => c.close());
    const msgs = await c.login(db);
    const key = msgs.find((m) => m.type === 'K')!;
    c.send(serialize.query('SELECT pg_backend_pid()'));
    const rows = await c.untilReady();
    const row = rows.find((m) => m.type === 'D')!;
    const backendPid = Number(row.body.toString('utf8', 6));
    t.not(key.body.readInt32BE(0), backendPid);
  });
});

t.test('malformed frontend input ends only that session, with FATAL 08P01', async (t) => {
  const db = await freshDatabase(t);
  const proxy = await startTestProxy(t, { limits: { maxMessageBytes: 4096 } });
  const bystander = new pg.Client({ connectionString: proxy.url(db) });
  await bystander.connect();
  t.teardown(() => bystander.end());
  await bystander.query('BEGIN');
  await bystander.query('CREATE TABLE t (x int)');

  const cases: Array<[string, Buffer, RegExp]> = [
    ['a length below 4', Buffer.from([0x51, 0, 0, 0, 2]), /invalid message length 2/],
    ['a message over maxMessageBytes', Buffer.from([0x51, 0, 0, 0x20, 0]), /over the limit of 4096/],
  ];
  // First as the first message of a session, then after a query, when the native relay (if built)
  // carries the session and must hand the bad bytes back to be refused the same way.
  for (const afterQuery of [false, true]) {
    for (const [name, bytes, message] of cases) {
      const label = afterQuery ? `${name}, after a query` : name;
      const c = await WireClient.open(proxy.port);
      await c.login(db);
      if (afterQuery) {
        c.send(serialize.query('SELECT 1'));
        await c.untilReady();
      }
      c.send(bytes);
      t.match(fatal(await c.next()), { S: 'FATAL', C: '08P01', M: message }, label);
      t.ok(await c.waitClosed(), `${label}: the connection is closed`);
    }
  }
  await bystander.query('INSERT INTO t VALUES (1)');
  await bystander.query('COMMIT');
  t.same((await bystander.query('SELECT count(*)::int AS n FROM t')).rows, [{ n: 1 }], 'other sessions are unaffected');
});

t.test('a client that vanishes mid-message: the server side is closed and nothing half-sent runs', async (t) => {
  const db = await freshDatabase(t);
  await direct(db, 'CREATE TABLE victims (x int)');
  const proxy = await startTestProxy(t);
  const c = await WireClient.open(proxy.port);
  c.send(serialize.startup({ user: 'postgres', database: db, application_name: 'tw_vanish' }));
  await c.untilReady();
  const query = serialize.query('DELETE FROM victims; SELECT pg_advisory_lock(42)');
  c.send(query.subarray(0, 12));
  await new Promise((r) => setTimeout(r, 200));
  c.close();
  let remaining = 1;
  for (let i = 0; i < 100 && remaining > 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    remaining = (await direct<{ n: number }>(db, "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'tw_vanish'"))[0]!.n;
  }
  t.equal(remaining, 0, 'its backend is gone');
});

t.test('an unreachable upstream gets the client a FATAL 08006 naming tripwire', async (t) => {
  const deadPort = await freePort();
  const proxy = await startTestProxy(t, { upstreamUrl: `postgres://postgres@127.0.0.1:${deadPort}/postgres` });
  const c = await WireClient.open(proxy.port);
  t.teardown(() => c.close());
  c.send(serialize.startup({ user: 'postgres', database: 'postgres' }));
  t.match(fatal(await c.next()), { S: 'FATAL', C: '08006', M: /tripwire cannot reach the upstream server 127.0.0.1:\d+/ });
  t.ok(await c.waitClosed());
  const client = new pg.Client({ connectionString: proxy.url('postgres') });
  client.on('error', () => undefined);
  await t.rejects(client.connect(), { code: '08006' }, 'node-postgres sees the same');
});

t.test('Terminate: the server closes as asked, and the client gets no error for it (as directly)', async (t) => {
  const db = await freshDatabase(t);
  const proxy = await startTestProxy(t);
  for (let i = 0; i < 20; i++) {
    const c = await WireClient.open(proxy.port);
    t.teardown(() => c.close());
    await c.login(db);
    // Keep our side open, so the server's close always arrives before ours.
    c.send(Buffer.from([0x58, 0, 0, 0, 4]));
    t.equal(await c.next(), null, `round ${i}: closed without an ErrorResponse`);
    t.ok(c.closed);
  }
});
