/**
 * The native relay inside real sessions: it carries the steady state, hands the session back for
 * anything that is not a plain pass (a hold, a rewrite, a verdict that needs the database), and
 * takes it again afterwards, with the results a client sees identical on either relay.
 */
import t from 'tap';
import pg from 'pg';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { direct, freshDatabase } from '../harness/env.js';
import { startTestProxy, type TestProxy } from '../harness/proxy.js';
import { watchTypes, type Interceptor, type Verdict } from '../../src/proxy/interceptor.js';
import { queryMessage } from '../../src/proxy/protocol/frontend-messages.js';
import { chooseRelay } from '../../src/proxy/server.js';
import { loadNativeRelay, type RelayChoice } from '../../src/proxy/native-relay.js';
import { TripwireError } from '../../src/errors.js';

const nativeBuilt = loadNativeRelay().ok;

function sqlOf(type: number, message: Buffer): string {
  if (type === 0x51) return message.toString('utf8', 5, message.length - 1);
  const nameEnd = message.indexOf(0, 5);
  return message.toString('utf8', nameEnd + 1, message.indexOf(0, nameEnd + 1));
}

/** A judge like tripwire's: holds, rewrites, answers some verdicts later, and follows ReadyForQuery. */
function testJudge(readies: string[]): Interceptor {
  return {
    openSession: () => ({
      watches: watchTypes('QP'),
      judge(type, message): Verdict | Promise<Verdict> {
        const sql = sqlOf(type, message);
        if (sql.includes('forbidden')) return { action: 'refuse', error: { severity: 'ERROR', code: 'TW001', message: 'held by the test judge' } };
        if (sql.includes('swap_me')) return { action: 'replace', upstream: queryMessage("SELECT 'swapped' AS v") };
        if (sql.includes('later')) return new Promise((r) => setImmediate(() => r({ action: 'pass' })));
        return { action: 'pass' };
      },
      readyForQuery(status) {
        readies.push(status);
      },
    }),
  };
}

/** One conversation, the same on every relay: what the client sees is returned for comparison. */
async function conversation(proxy: TestProxy, db: string, onNative: (label: string) => void) {
  const seen: unknown[] = [];
  const c = new pg.Client({ connectionString: proxy.url(db) });
  await c.connect();
  try {
    for (let i = 0; i < 3; i++) seen.push((await c.query('SELECT $1::int + 1 AS n', [i])).rows);
    onNative('after plain statements');
    await c.query('BEGIN');
    seen.push((await c.query('INSERT INTO things VALUES (10) RETURNING x')).rows);
    seen.push(await c.query('DELETE FROM things /* forbidden */').then(() => 'ran', (e: pg.DatabaseError) => [e.code, e.message]));
    seen.push(await c.query('SELECT 1').then(() => 'ran', (e: pg.DatabaseError) => e.code));
    await c.query('ROLLBACK');
    seen.push((await c.query('SELECT 1 AS swap_me')).rows);
    seen.push((await c.query('SELECT count(*)::int AS later FROM things')).rows);
    // Pipelined: the held one in the middle must not let the others overtake it.
    seen.push(
      await Promise.all([
        c.query('SELECT 1 AS a'),
        c.query('SELECT 2 AS b /* forbidden */').catch((e: pg.DatabaseError) => e.code),
        c.query('SELECT 3 AS c'),
      ]).then((r) => r.map((x) => (typeof x === 'string' || x === undefined ? x : x.rows))),
    );
    // Larger than the native relay's 64 KiB buffer: a Bind nobody watches, then a watched Query.
    seen.push((await c.query('SELECT length($1::text) AS n', ['x'.repeat(300_000)])).rows);
    seen.push((await c.query(`SELECT length('${'y'.repeat(200_000)}') AS n`)).rows);
    for (let i = 0; i < 3; i++) seen.push((await c.query('SELECT $1::text AS s', [`again ${i}`])).rows);
    onNative('after the holds');
  } finally {
    await c.end();
  }
  return seen;
}

for (const relay of ['native', 'js'] as RelayChoice[]) {
  t.test(`a session on the ${relay} relay: holds, rewrites and late verdicts in between plain statements`, { skip: relay === 'native' && !nativeBuilt }, async (t) => {
    const db = await freshDatabase(t);
    await direct(db, 'CREATE TABLE things (x int); INSERT INTO things VALUES (1), (2)');
    const readies: string[] = [];
    const proxy = await startTestProxy(t, { interceptor: testJudge(readies), relay });
    t.equal(proxy.server.relayStatus().relay, relay, `the proxy reports the ${relay} relay`);
    const seen = await conversation(proxy, db, (label) => {
      t.equal(proxy.server.relayStatus().nativeSessions, relay === 'native' ? 1 : 0, `${label}: the session is on the ${relay} relay`);
    });
    t.same(seen, [
      [{ n: 1 }],
      [{ n: 2 }],
      [{ n: 3 }],
      [{ x: 10 }],
      ['TW001', 'held by the test judge'],
      '25P02',
      [{ v: 'swapped' }],
      [{ later: 2 }],
      [[{ a: 1 }], 'TW001', [{ c: 3 }]],
      [{ n: 300_000 }],
      [{ n: 200_000 }],
      [{ s: 'again 0' }],
      [{ s: 'again 1' }],
      [{ s: 'again 2' }],
    ]);
    t.same((await direct(db, 'SELECT x FROM things ORDER BY x')).map((r) => r.x), [1, 2], 'the rolled-back insert and the held delete left nothing');
    t.ok(readies.includes('T') && readies.includes('E') && readies.at(-1) === 'I', `the judge followed the transaction: ${readies.join('')}`);
  });
}

t.test('choosing a relay', async (t) => {
  const lines: string[] = [];
  const log = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }));
  const missing = { ok: false as const, reason: 'not built (test)' };
  t.equal(chooseRelay('js', log, missing), null, 'js: none');
  t.equal(chooseRelay('auto', log, missing), null, 'auto without the addon: the JavaScript relay');
  t.match(lines.join(''), /"reason":"not built \(test\)".*native relay unavailable: using the JavaScript relay/, 'and it says so in the log');
  t.throws(() => chooseRelay('native', log, missing), new TripwireError('TW_CONFIG_INVALID', { detail: '--relay native: the native relay is not built (test)' }), 'native without the addon: a configuration error');
  if (nativeBuilt) t.not(chooseRelay('auto', log), null, 'auto with the addon built: the native relay');
});
