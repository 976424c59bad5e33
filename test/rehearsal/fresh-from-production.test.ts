/** --fresh-from-production with the real pg_dump, pg_restore and psql against real databases. */
import t from 'tap';
import { pino } from 'pino';
import { freshFromProduction } from '../../src/rehearsal/fresh-from-production.js';
import pg from 'pg';
import { restoreSection } from '../../src/rehearsal/fresh-copy.js';
import { foreignKeyFailures } from '../../src/rehearsal/fresh-keys.js';
import { findPgTool } from '../../src/rehearsal/pg-tools.js';
import { direct, freshDatabase, roles, serverUrl } from '../harness/env.js';
import { TripwireError } from '../../src/errors.js';

async function thrown(p: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return { ...(err instanceof TripwireError ? { code: err.code } : {}), message: (err as Error).message };
  }
  return { message: 'it did not throw' };
}

// A neighbour with awkward names: a quoted schema, a dot in the table name, a keyword column.
const PROD = `
CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, phone text);
INSERT INTO customers (name, phone) SELECT 'C' || g, '+1-555-' || lpad(g::text, 5, '0') FROM generate_series(1, 10000) g;
CREATE TABLE orders (id serial PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id), total int);
INSERT INTO orders (customer_id, total) SELECT 1 + g % 10000, g FROM generate_series(1, 3000) g;
CREATE SCHEMA "Billing";
CREATE TABLE "Billing"."Invoice.Lines" (id int PRIMARY KEY, "order" int REFERENCES orders (id), amount int, doubled int GENERATED ALWAYS AS (amount * 2) STORED);
INSERT INTO "Billing"."Invoice.Lines" (id, "order", amount) SELECT g, g * 10, g FROM generate_series(1, 200) g;
CREATE TABLE audit_notes (id int PRIMARY KEY, note text);
INSERT INTO audit_notes VALUES (1, 'production');
`;
const STALE = `
CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, phone text, fax text);
INSERT INTO customers (name, phone) SELECT 'old' || g, NULL FROM generate_series(1, 10) g;
CREATE VIEW customer_faxes AS SELECT id, fax FROM customers;
CREATE TABLE orders (id serial PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id), total int);
CREATE TABLE audit_notes (id int PRIMARY KEY, note text);
INSERT INTO audit_notes VALUES (1, 'staging'), (2, 'staging only');
CREATE TABLE customer_phones (customer_id bigint REFERENCES customers (id), phone text);
`;

const digest = (db: string, table: string, where = 'true') =>
  direct(db, `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, ',' ORDER BY id), '')) AS md5 FROM ${table} t WHERE ${where}`);
const foreignKeys = (db: string) => direct(db, "SELECT conrelid::regclass::text AS t, conname, convalidated FROM pg_constraint WHERE contype = 'f' ORDER BY 1, 2");
const logger = pino({ level: 'silent' });
const LINES = '"Billing"."Invoice.Lines"';

t.test('rebuilds the touched tables and their foreign-key neighbours; leaves the rest; drops left-overs', async (t) => {
  const prod = await freshDatabase(t, 'fr_prod');
  const staging = await freshDatabase(t, 'fr_stage');
  await direct(prod, PROD);
  await direct(staging, STALE);
  const steps: Array<{ message: string; done?: number; total?: number }> = [];
  const report = await freshFromProduction({
    productionUrl: serverUrl(prod),
    stagingUrl: serverUrl(staging),
    tables: ['customers'],
    dropOnStaging: ['public.customer_phones', 'never_created'],
    onProgress: (p) => steps.push(p),
    logger,
  });
  for (const table of ['customers', 'orders', LINES]) t.same(await digest(staging, table), await digest(prod, table), `${table} as in production`);
  t.same(await direct(staging, "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'customers' AND column_name = 'fax'"), [{ n: 0 }], 'the stale column is gone');
  t.same(await direct(staging, 'SELECT note FROM audit_notes ORDER BY id'), [{ note: 'staging' }, { note: 'staging only' }], 'an unrelated table is untouched');
  t.same(await direct(staging, "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'customer_phones'"), [{ n: 0 }], 'the left-over table is dropped');
  t.same(await foreignKeys(staging), await foreignKeys(prod), 'the foreign keys are those of production');
  t.same(report.tables.map((x) => [x.table, x.rows, x.productionRows, x.limited, x.reason]), [
    ['public.customers', 10000, 10000, false, 'requested'],
    ['public.orders', 3000, 3000, false, 'references public.customers'],
    [LINES, 200, 200, false, 'references public.orders'],
  ]);
  t.same(report.dropped, ['public.customer_phones'], 'only what was there is reported dropped');
  t.same(report.warnings, ['staging: drop cascades to view customer_faxes'], 'what the cascade took on staging is named');
  t.match(report.text, /^public\.orders: 3,000 of 3,000 rows; references public\.customers$/m);
  t.match(report.text, /^public\.customer_phones: dropped on staging/m);
  t.ok(steps.some((s) => s.message === 'copying public.customers (10,000 rows) 1/3' && s.done === 1 && s.total === 3), 'progress per table');
  const [next] = await direct<{ id: string }>(staging, "INSERT INTO customers (name) VALUES ('new') RETURNING id::text");
  t.equal(next!.id, '10001', 'the identity continues after production');
  const [order] = await direct<{ id: number }>(staging, 'INSERT INTO orders (customer_id, total) VALUES (1, 1) RETURNING id');
  t.equal(order!.id, 3001, 'so does the serial');
});

t.test('a row limit copies the first rows of big tables, keeps every foreign key, and says so', async (t) => {
  const prod = await freshDatabase(t, 'fr_prod');
  const staging = await freshDatabase(t, 'fr_stage');
  await direct(prod, PROD);
  const report = await freshFromProduction({ productionUrl: serverUrl(prod), stagingUrl: serverUrl(staging), tables: ['public.customers'], dropOnStaging: [], rowLimit: 1000, logger });
  t.same(await digest(staging, 'customers'), await digest(prod, 'customers', 'id <= 1000'), 'the first 1,000 customers by primary key');
  t.same(await digest(staging, 'orders'), await digest(prod, 'orders', 'customer_id <= 1000'), 'the orders of those customers');
  t.same(await digest(staging, LINES), await digest(prod, LINES, '"order" IN (SELECT id FROM orders WHERE customer_id <= 1000)'), 'and their invoice lines, generated column included');
  t.same(await foreignKeys(staging), await foreignKeys(prod), 'every foreign key restored and valid: no drift for the rehearsal');
  t.match(report.tables, [
    { table: 'public.customers', rows: 1000, productionRows: 10000, limited: true, reason: 'requested' },
    { table: 'public.orders', rows: 999, productionRows: 3000, limited: true, reason: 'references public.customers' },
    { table: LINES, rows: 99, productionRows: 200, limited: true, reason: 'references public.orders' },
  ]);
  t.match(report.text, /^public\.customers: 1,000 of 10,000 rows \(limited to the first 1,000\); requested$/m);
  t.match(report.text, /^public\.orders: 999 of 3,000 rows \(limited to the first 1,000; 1 left out: they reference public\.customers rows not copied\); references public\.customers$/m);
  t.same(report.warnings, [
    `${LINES}: 101 row(s) left out: they reference public.orders rows the row limit did not copy (Invoice.Lines_order_fkey)`,
    'public.orders: 1 row(s) left out: they reference public.customers rows the row limit did not copy (orders_customer_id_fkey)',
  ]);
  const [next] = await direct<{ id: string }>(staging, "INSERT INTO customers (name) VALUES ('new') RETURNING id::text");
  t.equal(next!.id, '10001', 'the sequence follows production, not the rows copied');
});

t.test('tools too old, a copy that fails, a staging that refuses us: clear errors without passwords', async (t) => {
  t.match(await thrown(findPgTool('pg_dump', 99)), { code: 'TW_PG_TOOL_MISSING', message: /pg_dump 99 or newer/ });
  t.match(await findPgTool('psql', 15), /^\/.*\/psql$/, 'an absolute path');
  const prod = await freshDatabase(t, 'fr_prod');
  await direct(prod, PROD);
  t.match(await thrown(freshFromProduction({ productionUrl: serverUrl(prod), stagingUrl: serverUrl(prod), tables: ['nowhere'], dropOnStaging: [], logger })), {
    code: 'TW_FRESH_COPY_FAILED',
    message: 'copying public.nowhere from production to staging failed: production has no such table',
  });

  const bad = new URL(serverUrl('postgres'));
  bad.username = 'nobody_here';
  bad.password = 's3cret-pw';
  const refused = await thrown(freshFromProduction({ productionUrl: serverUrl(prod), stagingUrl: bad.toString(), tables: ['customers'], dropOnStaging: [], logger }));
  t.match(refused, { code: 'TW_FRESH_COPY_FAILED', message: /cannot connect to staging postgres:\/\/nobody_here:\*\*\*@.*nobody_here/ });
  t.notMatch(refused.message, /s3cret-pw/);

  // A type production has and staging lacks: pg_restore fails, and says why, with the password gone.
  await direct(prod, "CREATE TYPE mood AS ENUM ('ok'); ALTER TABLE customers ADD COLUMN mood mood");
  const staging = await freshDatabase(t, 'fr_stage');
  const withPassword = new URL(serverUrl(staging));
  withPassword.username = roles.scram.user;
  withPassword.password = roles.scram.password;
  const failed = await thrown(freshFromProduction({ productionUrl: serverUrl(prod), stagingUrl: withPassword.toString(), tables: ['orders'], dropOnStaging: [], logger }));
  t.match(failed, { code: 'TW_FRESH_COPY_FAILED', message: /^copying public\.orders, .*public\.customers from production to staging failed: .*type "public\.mood" does not exist/s });
  t.notMatch(failed.message, new RegExp(roles.scram.password));
});

t.test("a foreign key pg_restore cannot add is named (from pg_restore's own words); any other error is not", async (t) => {
  const prod = await freshDatabase(t, 'fr_prod');
  const staging = await freshDatabase(t, 'fr_stage');
  await direct(prod, PROD);
  await direct(staging, `CREATE TABLE customers (id bigint PRIMARY KEY, name text, phone text); INSERT INTO customers VALUES (1, 'a', NULL);
    CREATE TABLE orders (id int, customer_id bigint, total int); INSERT INTO orders VALUES (1, 1, 1), (2, 42, 2);`);
  const client = new pg.Client({ connectionString: serverUrl(prod) });
  await client.connect();
  t.teardown(() => client.end());
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  const snapshot = (await client.query<{ s: string }>('SELECT pg_export_snapshot() AS s')).rows[0]!.s;
  const tools = { dump: await findPgTool('pg_dump', 15), restore: await findPgTool('pg_restore', 15), psql: await findPgTool('psql', 15) };
  const orders = { rel: { schema: 'public', name: 'orders' }, key: 'public.orders', reason: 'requested' };
  const post = await restoreSection({ tools, productionUrl: serverUrl(prod), stagingUrl: serverUrl(staging), snapshot }, 'post-data', [orders]);
  t.equal(post.ok, false);
  t.same(foreignKeyFailures(post.stderr), ['foreign key orders_customer_id_fkey on orders could not be restored: the rows copied do not satisfy it (Key (customer_id)=(42) is not present in table "customers".)']);
  t.equal(foreignKeyFailures('pg_restore: error: could not execute query: ERROR:  relation "public.orders" does not exist\nCommand was: CREATE INDEX …'), null);
});
