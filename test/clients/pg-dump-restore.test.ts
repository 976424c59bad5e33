/**
 * pg_dump | pg_restore through the proxy: the dump equals a direct dump byte for byte, and the
 * restored database holds the same schema, rows, sequences and large objects as the source.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { pgBinary } from '../harness/binaries.js';
import { direct, freshDatabase, serverUrl } from '../harness/env.js';
import { startTestProxy } from '../harness/proxy.js';
import { clientEnv, finished, run, schemaDump, tableChecksum, withoutRestrictKey, type RunResult } from './support.js';

const POPULATE = `
  CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
  CREATE TYPE point3 AS (x float8, y float8, z float8);
  CREATE DOMAIN positive_int AS int CHECK (VALUE > 0);
  CREATE SEQUENCE ticket_seq START 1000;
  CREATE TABLE customers (
    id serial PRIMARY KEY, name text NOT NULL, email text UNIQUE, mood mood,
    created timestamptz NOT NULL, tags text[], prefs jsonb);
  CREATE TABLE orders (
    id bigserial PRIMARY KEY, customer_id int NOT NULL REFERENCES customers (id), qty positive_int,
    total numeric(12, 2), ticket int DEFAULT nextval('ticket_seq'), location point3, note text,
    blob bytea, during tstzrange);
  CREATE INDEX orders_customer_idx ON orders (customer_id, total DESC);
  CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 500;
  CREATE FUNCTION order_count(int) RETURNS bigint LANGUAGE sql STABLE
    AS $$ SELECT count(*) FROM orders WHERE customer_id = $1 $$;
  COMMENT ON TABLE orders IS 'orders, with a comment';
  CREATE TABLE empty_table (id int);
  INSERT INTO customers (name, email, mood, created, tags, prefs)
  SELECT 'customer ' || g, CASE WHEN g % 10 = 0 THEN NULL ELSE 'c' || g || '@example.com' END,
         (ARRAY['sad', 'ok', 'happy'])[1 + g % 3]::mood,
         '2024-01-01 00:00:00+00'::timestamptz + g * interval '1 hour',
         ARRAY['t' || g % 4, E'quote " and \\\\ backslash'], jsonb_build_object('g', g, 'dark', g % 2 = 0)
    FROM generate_series(1, 1000) g;
  INSERT INTO orders (customer_id, qty, total, location, note, blob, during)
  SELECT 1 + g % 1000, 1 + g % 9, round((g * 7.31)::numeric % 1000, 2), ROW(g, -g, g / 3.0)::point3,
         CASE WHEN g % 13 = 0 THEN NULL ELSE E'line one\\nline two\\ttab ' || repeat('ü', g % 6) END,
         decode(md5(g::text), 'hex'),
         tstzrange('2024-01-01 00:00:00+00'::timestamptz + g * interval '1 day', NULL)
    FROM generate_series(1, 5000) g;
  SELECT lo_from_bytea(424242, convert_to(repeat('large object ', 1000), 'UTF8'));
  ANALYZE;
`;

const TABLES = ['customers', 'orders', 'empty_table', 'big_orders'];

/** `pg_dump -Fc SRC | pg_restore -d DST`, both through the given URLs. */
async function dumpAndRestore(from: string, to: string): Promise<{ dump: RunResult; restore: RunResult }> {
  const env = clientEnv();
  const dump = spawn(pgBinary('pg_dump'), ['-Fc', '-d', from], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const restore = spawn(pgBinary('pg_restore'), ['--exit-on-error', '-d', to], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  dump.stdout.pipe(restore.stdin);
  const dumped = finishedStderr(dump);
  const [d, r] = await Promise.all([dumped, finished(restore)]);
  return { dump: d, restore: r };
}

function finishedStderr(child: ReturnType<typeof spawn>): Promise<RunResult> {
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  return new Promise((resolve) => child.once('close', (status, signal) => resolve({ status, signal, stdout: '', stderr })));
}

async function contents(db: string) {
  const tables: Record<string, unknown> = {};
  for (const table of TABLES) tables[table] = await tableChecksum(db, table);
  const [extra] = await direct(
    db,
    `SELECT (SELECT last_value FROM ticket_seq) AS ticket_seq, (SELECT last_value FROM orders_id_seq) AS orders_seq,
            (SELECT md5(lo_get(424242))) AS large_object, order_count(7) AS order_count,
            obj_description('orders'::regclass) AS comment`,
  );
  return { tables, extra };
}

t.test('pg_dump | pg_restore through the proxy reproduces the source database', async (t) => {
  const proxy = await startTestProxy(t);
  const src = await freshDatabase(t);
  const dst = await freshDatabase(t);
  await direct(src, POPULATE);

  const plain = ['--no-sync', '-Fp'];
  const dumpDirect = await run(t, pgBinary('pg_dump'), [...plain, '-d', serverUrl(src)]);
  const dumpProxy = await run(t, pgBinary('pg_dump'), [...plain, '-d', proxy.url(src)]);
  t.equal(dumpDirect.status, 0, 'direct pg_dump exits 0');
  t.match(dumpDirect.stdout, /COPY public\.orders .* FROM stdin;\n1\t2\t2\t7\.31\t/, 'direct dump holds the orders rows');
  t.same({ ...dumpProxy, stdout: withoutRestrictKey(dumpProxy.stdout) }, { ...dumpDirect, stdout: withoutRestrictKey(dumpDirect.stdout) }, 'plain dump through the proxy equals the direct dump');

  const { dump, restore } = await dumpAndRestore(proxy.url(src), proxy.url(dst));
  t.same(dump, { status: 0, signal: null, stdout: '', stderr: '' }, 'pg_dump -Fc through the proxy exits 0 quietly');
  t.same(restore, { status: 0, signal: null, stdout: '', stderr: '' }, 'pg_restore through the proxy exits 0 quietly');

  const source = await contents(src);
  t.match(source.tables, { customers: { rows: 1000 }, orders: { rows: 5000 } }, 'the source is populated');
  t.same(await contents(dst), source, 'row counts, checksums, sequences and the large object equal the source');
  t.equal(await schemaDump(t, dst), await schemaDump(t, src), 'the restored schema equals the source schema');
});
