import t from 'tap';
import pg from 'pg';
import postgres from 'postgres';
import { direct, freshDatabase } from '../harness/env.js';
import { startTestProxy } from '../harness/proxy.js';
import { watchTypes, type Interceptor, type Verdict } from '../../src/proxy/interceptor.js';
import { queryMessage } from '../../src/proxy/protocol/frontend-messages.js';

/** Text of a Query or Parse message, for a test judge. */
function sqlOf(type: number, message: Buffer): string {
  if (type === 0x51) return message.toString('utf8', 5, message.length - 1);
  const nameEnd = message.indexOf(0, 5);
  return message.toString('utf8', nameEnd + 1, message.indexOf(0, nameEnd + 1));
}

const held: Verdict = {
  action: 'refuse',
  error: { severity: 'ERROR', code: 'TW001', message: 'held by the test judge', detail: 'because', hint: 'do not' },
};

/** Refuses statements that mention `forbidden`, answers `slow` ones after a delay, rewrites `swap_me`. */
const judge: Interceptor = {
  openSession: () => ({
    watches: watchTypes('QP'),
    judge(type, message) {
      const sql = sqlOf(type, message);
      if (sql.includes('forbidden')) return held;
      if (sql.includes('swap_me')) return { action: 'replace', upstream: queryMessage("SELECT 'swapped' AS v") };
      if (sql.includes('noisy')) return { action: 'notice', notice: { severity: 'WARNING', code: '01000', message: 'noisy statement' } };
      if (sql.includes('slow')) return new Promise((r) => setTimeout(() => r({ action: 'pass' }), 50));
      return { action: 'pass' };
    },
  }),
};

t.test('refusing in the simple protocol', async (t) => {
  const db = await freshDatabase(t);
  await direct(db, 'CREATE TABLE things (x int); INSERT INTO things VALUES (1), (2)');
  const proxy = await startTestProxy(t, { interceptor: judge });
  const c = new pg.Client({ connectionString: proxy.url(db) });
  await c.connect();
  t.teardown(() => c.end());

  await t.rejects(c.query('INSERT INTO things VALUES (3); DELETE FROM things /* forbidden */'), {
    code: 'TW001',
    message: 'held by the test judge',
    detail: 'because',
    hint: 'do not',
  });
  t.same((await direct(db, 'SELECT count(*)::int AS n FROM things'))[0], { n: 2 }, 'no statement of a refused multi-statement Query ran');
  t.same((await c.query('SELECT 1 AS one')).rows, [{ one: 1 }], 'the connection stays usable');

  await c.query('BEGIN');
  await c.query('INSERT INTO things VALUES (4)');
  await t.rejects(c.query('DROP TABLE things -- forbidden'), { code: 'TW001' });
  await t.rejects(c.query('SELECT 1'), { code: '25P02' }, 'inside a transaction, later statements fail with 25P02');
  const commit = await c.query('COMMIT');
  t.equal(commit.command, 'ROLLBACK', 'COMMIT reports ROLLBACK');
  t.same((await direct(db, 'SELECT count(*)::int AS n FROM things'))[0], { n: 2 }, 'the insert before the hold was rolled back');
});

t.test('refusing in the extended protocol, pipelined', async (t) => {
  const db = await freshDatabase(t);
  await direct(db, 'CREATE TABLE things (x int); INSERT INTO things VALUES (1)');
  const proxy = await startTestProxy(t, { interceptor: judge });
  const sql = postgres(proxy.url(db), { max: 1, onnotice: () => undefined });
  t.teardown(() => sql.end());

  // postgres.js pipelines these as Parse/Bind/Describe/Execute/Sync groups on one connection.
  const results = await Promise.allSettled([
    sql`SELECT ${1}::int AS a`,
    sql`DELETE FROM things WHERE x = ${1} /* forbidden */`,
    sql`SELECT ${3}::int AS c`,
  ]);
  t.same(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled'], 'only the held statement fails');
  t.match((results[1] as PromiseRejectedResult).reason, { code: 'TW001' });
  t.same((results[2] as PromiseFulfilledResult<unknown[]>).value[0], { c: 3 }, 'pipelined messages stay in sync');

  await t.rejects(
    sql.begin(async (tx) => {
      await tx`INSERT INTO things VALUES (${2})`;
      await tx`DELETE FROM things WHERE x > ${0} /* forbidden */`;
    }),
    { code: 'TW001' },
  );
  t.same((await direct(db, 'SELECT x FROM things ORDER BY x')).map((r) => r.x), [1], 'the transaction was aborted on the server too');
  t.same(await sql`SELECT 7 AS n`, [{ n: 7 }], 'the connection stays usable');
});

t.test('replace, notice, and async verdicts keep order', async (t) => {
  const db = await freshDatabase(t);
  const proxy = await startTestProxy(t, { interceptor: judge });
  const c = new pg.Client({ connectionString: proxy.url(db) });
  const notices: string[] = [];
  c.on('notice', (n) => notices.push(n.message ?? ''));
  await c.connect();
  t.teardown(() => c.end());

  t.same((await c.query("SELECT 'swap_me' AS v")).rows, [{ v: 'swapped' }], 'replace sends the interceptor’s bytes instead');
  t.same((await c.query("SELECT 'noisy' AS v")).rows, [{ v: 'noisy' }]);
  t.same(notices, ['noisy statement'], 'a notice verdict reaches the client');

  const order = await Promise.all([
    c.query("SELECT 'slow' AS v, clock_timestamp() AS at"),
    c.query('SELECT 2 AS v, clock_timestamp() AS at'),
    c.query("SELECT 'slow again' AS v, clock_timestamp() AS at"),
    c.query('SELECT 4 AS v, clock_timestamp() AS at'),
  ]);
  const times = order.map((r) => (r.rows[0].at as Date).getTime());
  t.same(times, [...times].sort((a, b) => a - b), 'nothing overtakes a message whose verdict is pending');
  t.same(order.map((r) => String(r.rows[0].v)), ['slow', '2', 'slow again', '4']);
});

t.test('internal statements run first and their responses never reach the client', async (t) => {
  const db = await freshDatabase(t);
  const failures: boolean[] = [];
  const injecting: Interceptor = {
    openSession: () => ({
      watches: watchTypes('QP'),
      startupParameters: new Map([['user', 'postgres'], ['database', db], ['application_name', 'rewritten-by-proxy']]),
      judge(type, message) {
        if (/^ALTER/i.test(sqlOf(type, message))) return { action: 'pass', internal: queryMessage("SET lock_timeout = '1234ms'") };
        return { action: 'pass' };
      },
      readyForQuery: (_status, failed) => failures.push(failed),
    }),
  };
  const proxy = await startTestProxy(t, { interceptor: injecting });
  const c = new pg.Client({ connectionString: proxy.url(db), application_name: 'original' });
  await c.connect();
  t.teardown(() => c.end());
  t.same((await c.query("SELECT current_setting('application_name') AS a")).rows, [{ a: 'rewritten-by-proxy' }], 'startup parameters can be replaced');
  await c.query('CREATE TABLE t (x int)');
  const alter = await c.query('ALTER TABLE t ADD COLUMN y int');
  t.equal(alter.command, 'ALTER', 'the client sees its own statement’s response, not the SET');
  t.same((await c.query('SHOW lock_timeout')).rows, [{ lock_timeout: '1234ms' }], 'the internal SET ran on the same session');

  // Simple protocol, several statements at once: responses stay paired with their queries.
  const results = await Promise.all([c.query('SELECT 1 AS a'), c.query('ALTER TABLE t ADD COLUMN z int'), c.query('SELECT 3 AS c')]);
  t.same(results.map((r) => r.command), ['SELECT', 'ALTER', 'SELECT']);
  await t.rejects(c.query('ALTER TABLE missing ADD COLUMN q int'), { code: '42P01' });
  t.same((await c.query('SELECT 4 AS d')).rows, [{ d: 4 }]);
  t.ok(failures.includes(true), 'the interceptor hears that a statement failed');
  t.equal(failures.filter(Boolean).length, 1, 'and only the one that did');
});
