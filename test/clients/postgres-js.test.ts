/**
 * postgres.js through the proxy: its auto-prepared statements, queries pipelined on one connection,
 * pipelined transactions, and its COPY streams give exactly what they give directly.
 */
import t from 'tap';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type postgres from 'postgres';
import { freshDatabase, serverUrl } from '../harness/env.js';
import { startTestProxy } from '../harness/proxy.js';
import { postgresJs, tableChecksum } from './support.js';

/** A query's outcome in comparable form: its rows and metadata, or the server's error fields. */
async function outcome(query: Promise<postgres.RowList<postgres.Row[]>>) {
  try {
    const r = await query;
    return { command: r.command, count: r.count, columns: r.columns?.map((c) => [c.name, c.type]), rows: [...r] };
  } catch (err) {
    const e = err as postgres.PostgresError;
    return { error: { code: e.code, severity: e.severity, message: e.message, detail: e.detail, position: e.position } };
  }
}

/** The same steps, each awaited in turn; every tagged query is prepared under postgres.js's own name. */
async function autoPrepared(sql: postgres.Sql) {
  const out = [];
  for (let i = 0; i < 2; i++) {
    out.push(await outcome(sql`SELECT ${40}::int + ${2}::int AS sum, ${'héllo ☃ "q" \\'}::text AS txt, ${null}::text AS nothing`));
    out.push(await outcome(sql`SELECT ${Buffer.from([0, 1, 255])}::bytea AS b, ${sql.json({ a: [1, 'x'] })}::jsonb AS j, ${new Date('2024-02-29T12:34:56.789Z')}::timestamptz AS ts, ${'9007199254740993'}::int8 AS big`));
    out.push(await outcome(sql`SELECT g, md5(g::text) AS h FROM generate_series(1, ${1500}::int) g`));
    out.push(await outcome(sql`SELECT ${'not a number'}::int AS n`));
    out.push(await outcome(sql`SELECT ${[1, 2, 3]}::int[] AS arr, ${'x'.repeat(200_000)}::text = repeat('x', 200000) AS long`));
  }
  out.push(await outcome(sql.unsafe('SELECT 1 AS a; SELECT 2 AS b')));
  out.push(await outcome(sql`SELECT statement, parameter_types::text, from_sql FROM pg_prepared_statements ORDER BY statement`));
  return out;
}

t.test('auto-prepared queries equal direct, including the prepared statements left on the session', async (t) => {
  const db = await freshDatabase(t);
  const proxy = await startTestProxy(t);
  const viaDirect = await autoPrepared(postgresJs(t, serverUrl(db)));
  const viaProxy = await autoPrepared(postgresJs(t, proxy.url(db)));
  t.match(viaDirect[3], { error: { code: '22P02' } }, 'direct: the bad integer fails with 22P02');
  t.same(viaDirect[5], viaDirect[0], 'direct: the second, prepared run gives the same result');
  t.ok((viaDirect.at(-1) as { rows: unknown[] }).rows.length >= 5, 'direct: postgres.js prepared its statements');
  t.same(viaProxy, viaDirect, 'every result, error and prepared statement equals direct');
});

/** 100 queries on one connection, all sent before the first reply, with one failure in the middle. */
async function pipelined(sql: postgres.Sql) {
  const queries = Array.from({ length: 100 }, (_, i) =>
    i === 50 ? sql`SELECT 1 / ${0}::int AS q` : sql`SELECT ${i}::int AS i, md5(${i}::text) AS h, pg_backend_pid() = pg_backend_pid() AS same`,
  );
  const results = await Promise.all(queries.map(outcome));
  await sql`CREATE TABLE ledger (id int PRIMARY KEY, amount int NOT NULL)`;
  const committed = await outcome(
    sql.begin((tx) => [tx`INSERT INTO ledger VALUES (1, 10)`, tx`INSERT INTO ledger VALUES (2, 20)`, tx`UPDATE ledger SET amount = amount + 1 RETURNING *`]) as never,
  );
  const failed = await outcome(
    sql.begin((tx) => [tx`INSERT INTO ledger VALUES (3, 30)`, tx`INSERT INTO ledger VALUES (1, 99)`, tx`INSERT INTO ledger VALUES (4, 40)`]) as never,
  );
  const after = await outcome(sql`SELECT * FROM ledger ORDER BY id`);
  return { results, committed, failed, after };
}

t.test('pipelined queries and pipelined transactions equal direct', async (t) => {
  const proxy = await startTestProxy(t);
  const viaDirect = await pipelined(postgresJs(t, serverUrl(await freshDatabase(t))));
  const viaProxy = await pipelined(postgresJs(t, proxy.url(await freshDatabase(t))));
  t.match(viaDirect.results[50], { error: { code: '22012' } }, 'direct: query 50 fails');
  t.match(viaDirect.results[99], { rows: [{ i: 99 }] }, 'direct: the queries after it succeed');
  t.match(viaDirect.failed, { error: { code: '23505' } }, 'direct: the second transaction fails');
  t.match(viaDirect.after, { rows: [{ id: 1, amount: 11 }, { id: 2, amount: 21 }] }, 'direct: only the first transaction stays');
  t.same(viaProxy, viaDirect, 'every outcome equals direct, in order');
});

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

async function copyStreams(sql: postgres.Sql, db: string) {
  await sql`CREATE TABLE c (id int PRIMARY KEY, label text, note text)`;
  const lines = function* () {
    for (let g = 1; g <= 30_000; g++) yield `${g}\trow ${g}\\twith tab\t${g % 7 === 0 ? '\\N' : 'é'.repeat(g % 5)}\n`;
  };
  await pipeline(Readable.from(lines()), await sql`COPY c FROM STDIN`.writable());
  const loaded = await tableChecksum(db, 'c');
  const count = await outcome(sql`SELECT count(*)::int AS n FROM c`);
  // Last on this connection: postgres.js can leave its socket paused after a readable COPY ends.
  const chunks: Buffer[] = [];
  for await (const chunk of await sql`COPY (SELECT * FROM c ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)`.readable()) chunks.push(chunk as Buffer);
  const out = Buffer.concat(chunks);
  return { loaded, count, bytes: out.length, md5: md5(out) };
}

t.test('COPY writable and readable streams equal direct', { timeout: 30_000 }, async (t) => {
  const proxy = await startTestProxy(t);
  const directDb = await freshDatabase(t);
  const proxyDb = await freshDatabase(t);
  const viaDirect = await copyStreams(postgresJs(t, serverUrl(directDb)), directDb);
  const viaProxy = await copyStreams(postgresJs(t, proxy.url(proxyDb)), proxyDb);
  t.equal(viaDirect.loaded.rows, 30_000, 'direct: the writable stream loaded 30000 rows');
  t.match(viaDirect.count, { rows: [{ n: 30_000 }] }, 'direct: the session goes on after COPY');
  t.ok(viaDirect.bytes > 30_000 * 10, 'direct: the readable stream sent every row');
  t.same(viaProxy, viaDirect, 'loaded rows and streamed bytes equal direct');
});
