/**
 * node-postgres through the proxy sees exactly what it sees directly: parameterized queries, named
 * prepared statements, queued and wire-pipelined queries, and COPY in both directions. Each scenario
 * runs once on a direct connection and once through the proxy, and the outcomes must be equal.
 */
import t from 'tap';
import pg from 'pg';
import { freshDatabase, serverUrl } from '../harness/env.js';
import { startTestProxy } from '../harness/proxy.js';
import { copy } from './pg-copy.js';
import { pgClient } from './support.js';

type Step = string | pg.QueryConfig | pg.QueryArrayConfig;

/** A query's outcome in comparable form: the result, or the server's error fields. */
function outcome(settled: PromiseSettledResult<pg.QueryResult>) {
  if (settled.status === 'rejected') {
    const e = settled.reason as pg.DatabaseError;
    return { error: { code: e.code, severity: e.severity, message: e.message, detail: e.detail, position: e.position, where: e.where } };
  }
  // A multi-statement simple Query resolves to one result per statement.
  const results: pg.QueryResult[] = Array.isArray(settled.value) ? settled.value : [settled.value];
  const shaped = results.map((r) => ({ command: r.command, rowCount: r.rowCount, fields: r.fields.map((f) => [f.name, f.dataTypeID]), rows: r.rows }));
  return shaped.length === 1 ? shaped[0]! : { results: shaped };
}

const submit = (client: pg.Client, step: Step) => (typeof step === 'string' ? client.query(step) : client.query(step));

/** Runs the steps one after another, each awaited. */
async function sequential(client: pg.Client, steps: Step[]) {
  const out = [];
  for (const step of steps) out.push(outcome((await Promise.allSettled([submit(client, step)]))[0]!));
  return out;
}

/** Submits every step before awaiting any of them. */
async function allAtOnce(client: pg.Client, steps: Step[]) {
  return (await Promise.allSettled(steps.map((step) => submit(client, step)))).map(outcome);
}

t.test('parameterized queries', async (t) => {
  const db = await freshDatabase(t);
  const proxy = await startTestProxy(t);
  const steps: Step[] = [
    { text: 'SELECT $1::int + $2::int AS sum, $3::text AS txt, $4::text IS NULL AS missing', values: [40, 2, 'héllo ☃ "q" \\ \t', null] },
    {
      text: 'SELECT $1::bytea AS b, $2::jsonb AS j, $3::timestamptz AS ts, $4::numeric AS n, $5::int[] AS arr, $6::bool AS flag',
      values: [Buffer.from([0, 1, 2, 255]), JSON.stringify({ a: [1, 'x'], b: null }), new Date('2024-02-29T12:34:56.789Z'), '12345678901234567890.0123456789', [1, 2, null], true],
    },
    { text: 'SELECT g, md5(g::text) AS h FROM generate_series(1, $1::int) g', values: [2000] },
    'CREATE TEMP TABLE items (id serial PRIMARY KEY, name text UNIQUE)',
    { text: 'INSERT INTO items (name) SELECT unnest($1::text[]) RETURNING id, name', values: [['a', 'b', 'c']] },
    { text: 'UPDATE items SET name = name || $1 WHERE id > $2', values: ['!', 1] },
    { text: 'INSERT INTO items (name) VALUES ($1)', values: ['a'] },
    { text: 'SELECT $1::int AS n', values: ['not a number'] },
    { text: 'SELECT id, name FROM items WHERE name = ANY($1) ORDER BY id', values: [['a', 'b!', 'c']] },
    { text: 'SELECT length($1::text) AS len, md5($1::text) AS h', values: ['x'.repeat(300_000)] },
    { text: 'SELECT $1::text AS a', values: ['one', 'two'] },
    { text: 'SELECT * FROM (VALUES (1, $1::text), (2, $2)) v(n, s)', values: ['x', 'y'], rowMode: 'array' } as pg.QueryArrayConfig,
  ];
  const viaDirect = await sequential(await pgClient(t, serverUrl(db)), steps);
  const viaProxy = await sequential(await pgClient(t, proxy.url(db)), steps);
  t.same(viaDirect[6], { error: { code: '23505', severity: 'ERROR', message: 'duplicate key value violates unique constraint "items_name_key"', detail: 'Key (name)=(a) already exists.', position: undefined, where: undefined } }, 'direct: the duplicate fails with 23505');
  t.equal(viaDirect.filter((o) => 'error' in o).length, 3, 'direct: three steps fail');
  t.same(viaProxy, viaDirect, 'every result and error equals direct');
});

t.test('named prepared statements', async (t) => {
  const db = await freshDatabase(t);
  const proxy = await startTestProxy(t);
  const doubled = (values: unknown[]): pg.QueryConfig => ({ name: 'double_it', text: 'SELECT $1::int * 2 AS doubled, $2::text AS label', values });
  const divide = (values: unknown[]): pg.QueryConfig => ({ name: 'divide', text: 'SELECT 10 / $1::int AS q', values });
  const steps: Step[] = [
    doubled([1, 'one']),
    doubled([21, 'x']),
    doubled([-5, null]),
    divide([0]),
    divide([5]),
    'SELECT name, statement, parameter_types::text, from_sql FROM pg_prepared_statements ORDER BY name',
    'DEALLOCATE double_it',
    'SELECT name FROM pg_prepared_statements ORDER BY name',
  ];
  const viaDirect = await sequential(await pgClient(t, serverUrl(db)), steps);
  const viaProxy = await sequential(await pgClient(t, proxy.url(db)), steps);
  t.same(viaDirect[3], { error: { code: '22012', severity: 'ERROR', message: 'division by zero', detail: undefined, position: undefined, where: undefined } }, 'direct: divide by zero fails');
  t.same(viaDirect[4], { command: 'SELECT', rowCount: 1, fields: [['q', 23]], rows: [{ q: 2 }] }, 'direct: the statement is reused after the error');
  t.same(viaProxy, viaDirect, 'every result, error and prepared statement equals direct');
});

/** A transaction with an error, a savepoint and a named statement, all submitted before any reply. */
function pipelineSteps(): Step[] {
  const inserts = Array.from({ length: 20 }, (_, i) => ({ text: 'INSERT INTO p VALUES ($1, $2) RETURNING *', values: [i + 1, `v${i + 1}`] }));
  return [
    'BEGIN',
    'CREATE TEMP TABLE p (id int PRIMARY KEY, v text)',
    ...inserts,
    'SAVEPOINT s',
    { text: 'INSERT INTO p VALUES ($1, $2)', values: [5, 'dup'] },
    'SELECT count(*) FROM p',
    'ROLLBACK TO SAVEPOINT s',
    { name: 'get_p', text: 'SELECT v FROM p WHERE id = $1', values: [3] },
    { name: 'get_p', text: 'SELECT v FROM p WHERE id = $1', values: [7] },
    'SELECT count(*)::int AS n, sum(id)::int AS s FROM p',
    'COMMIT',
    { text: 'SELECT $1::int / $2::int AS q', values: [1, 0] },
    'SELECT count(*)::int AS n FROM p; SELECT 2 AS two',
  ];
}

t.test('queries submitted without awaiting, queued and pipelined on the wire', async (t) => {
  const db = await freshDatabase(t);
  const proxy = await startTestProxy(t);
  for (const pipeline of [false, true]) {
    const label = pipeline ? 'pipeline mode' : 'queued';
    const connect = (connectionString: string) => pgClient(t, { connectionString, pipeline });
    const viaDirect = await allAtOnce(await connect(serverUrl(db)), pipelineSteps());
    const viaProxy = await allAtOnce(await connect(proxy.url(db)), pipelineSteps());
    // Steps 23, 24 and 28: the duplicate insert, the statement after it, the count after the rollback.
    t.equal((viaDirect[23] as { error?: { code: string } }).error?.code, '23505', `${label}: direct duplicate is 23505`);
    t.equal((viaDirect[24] as { error?: { code: string } }).error?.code, '25P02', `${label}: direct then reports 25P02`);
    t.same((viaDirect[28] as { rows?: unknown }).rows, [{ n: 20, s: 210 }], `${label}: direct keeps the 20 rows`);
    t.same(viaProxy, viaDirect, `${label}: every outcome equals direct, in order`);
  }
});

/** 20,000 text-format rows in chunks of 500 lines; row `badAt` (if given) has a non-integer id. */
function copyRows(badAt = 0): Buffer[] {
  const chunks: Buffer[] = [];
  for (let start = 1; start <= 20_000; start += 500) {
    let s = '';
    for (let g = start; g < start + 500; g++) s += `${g === badAt ? 'oops' : g}\trow ${g}\\twith tab\t${g % 7 === 0 ? '\\N' : 'é'.repeat(g % 5)}\n`;
    chunks.push(Buffer.from(s));
  }
  return chunks;
}

t.test('COPY TO STDOUT and FROM STDIN, including CopyFail and a bad row', async (t) => {
  const db = await freshDatabase(t);
  const proxy = await startTestProxy(t);
  const scenario = async (client: pg.Client) => [
    await copy(client, 'COPY (SELECT g, md5(g::text), now() - now() AS zero FROM generate_series(1, 20000) g) TO STDOUT'),
    await copy(client, "COPY (SELECT g, 'x' FROM generate_series(1, 3) g) TO STDOUT WITH (FORMAT csv, HEADER)"),
    outcome((await Promise.allSettled([client.query('CREATE TEMP TABLE c (id int, label text, note text)')]))[0]!),
    await copy(client, 'COPY c FROM STDIN', copyRows()),
    await copy(client, 'COPY c FROM STDIN', copyRows(15_000)),
    // A plain query has no source stream, so node-postgres answers CopyInResponse with CopyFail.
    outcome((await Promise.allSettled([client.query('COPY c FROM STDIN')]))[0]!),
    outcome((await Promise.allSettled([client.query("SELECT count(*)::int AS n, md5(string_agg(c::text, '|' ORDER BY id)) AS h FROM c")]))[0]!),
    await copy(client, 'COPY c TO STDOUT'),
  ];
  const viaDirect = await scenario(await pgClient(t, serverUrl(db)));
  const viaProxy = await scenario(await pgClient(t, proxy.url(db)));
  t.match(viaDirect[0], { tag: 'COPY 20000' }, 'direct: COPY TO STDOUT sends 20000 rows');
  t.match(viaDirect[3], { tag: 'COPY 20000' }, 'direct: COPY FROM STDIN loads 20000 rows');
  t.match(viaDirect[4], { error: { code: '22P02' } }, 'direct: the bad row fails with 22P02');
  t.match(viaDirect[5], { error: { code: '57014', message: 'COPY from stdin failed: No source stream defined' } }, 'direct: CopyFail ends the COPY');
  t.match(viaDirect[6], { rows: [{ n: 20000 }] }, 'direct: only the good COPY landed');
  t.same(viaProxy, viaDirect, 'every COPY result, byte checksum and error equals direct');
});
