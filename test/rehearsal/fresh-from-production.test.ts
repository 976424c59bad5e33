/** --fresh-from-production with the real pg_dump, pg_restore and psql against real databases. */
import t from 'tap';
import { pino } from 'pino';
import { freshFromProduction } from '../../src/rehearsal/fresh-from-production.js';
import { findPgTool } from '../../src/rehearsal/pg-tools.js';
import { direct, freshDatabase, serverUrl } from '../harness/env.js';
import { TripwireError } from '../../src/errors.js';

async function thrown(p: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return { ...(err instanceof TripwireError ? { code: err.code } : {}), message: (err as Error).message };
  }
  return { message: 'it did not throw' };
}

const PROD = `
CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, phone text);
INSERT INTO customers (name, phone) SELECT 'C' || g, '+1-555-' || g FROM generate_series(1, 10000) g;
CREATE TABLE orders (id serial PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id), total int);
INSERT INTO orders (customer_id, total) SELECT 1 + g % 10000, g FROM generate_series(1, 3000) g;
CREATE TABLE audit_notes (id int PRIMARY KEY, note text);
INSERT INTO audit_notes VALUES (1, 'production');
`;
const STALE = `
CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, phone text, fax text);
INSERT INTO customers (name, phone) SELECT 'old' || g, NULL FROM generate_series(1, 10) g;
CREATE TABLE orders (id serial PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id), total int);
CREATE TABLE audit_notes (id int PRIMARY KEY, note text);
INSERT INTO audit_notes VALUES (1, 'staging'), (2, 'staging only');
CREATE TABLE customer_phones (customer_id bigint REFERENCES customers (id), phone text);
`;

const digest = (db: string, table: string) => direct(db, `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, ',' ORDER BY id), '')) AS md5 FROM ${table} t`);
const logger = pino({ level: 'silent' });

t.test('rebuilds the touched tables and their foreign-key neighbours; leaves the rest; drops left-overs', async (t) => {
  const prod = await freshDatabase(t, 'fr_prod');
  const staging = await freshDatabase(t, 'fr_stage');
  await direct(prod, PROD);
  await direct(staging, STALE);
  const steps: string[] = [];
  const report = await freshFromProduction({ productionUrl: serverUrl(prod), stagingUrl: serverUrl(staging), tables: ['customers'], dropOnStaging: ['public.customer_phones'], onProgress: (p) => steps.push(p.message), logger });
  t.same(await digest(staging, 'customers'), await digest(prod, 'customers'), 'customers as in production');
  t.same(await digest(staging, 'orders'), await digest(prod, 'orders'), 'orders as in production');
  t.same(await direct(staging, "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'customers' AND column_name = 'fax'"), [{ n: 0 }], 'the stale column is gone');
  t.same(await direct(staging, 'SELECT note FROM audit_notes ORDER BY id'), [{ note: 'staging' }, { note: 'staging only' }], 'an unrelated table is untouched');
  t.same(await direct(staging, "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'customer_phones'"), [{ n: 0 }], 'the left-over table is dropped');
  t.same(report.tables.map((x) => [x.table, x.reason, x.limited]), [
    ['public.customers', 'requested', false],
    ['public.orders', 'references public.customers', false],
  ]);
  t.same(report.dropped, ['public.customer_phones']);
  t.match(report.text, /orders: 3,000 of 3,000 rows; references public\.customers/);
  t.ok(steps.length >= 3, 'progress reported');
  const [next] = await direct<{ id: string }>(staging, "INSERT INTO customers (name) VALUES ('new') RETURNING id::text");
  t.equal(next!.id, '10001', 'the identity continues after production');
});

t.test('a row limit copies the first rows of big tables and says so', async (t) => {
  const prod = await freshDatabase(t, 'fr_prod');
  const staging = await freshDatabase(t, 'fr_stage');
  await direct(prod, PROD);
  const report = await freshFromProduction({ productionUrl: serverUrl(prod), stagingUrl: serverUrl(staging), tables: ['public.customers'], dropOnStaging: [], rowLimit: 1000, logger });
  t.same(await direct(staging, 'SELECT count(*)::int AS n FROM customers'), [{ n: 1000 }]);
  t.match(report.tables.find((x) => x.table === 'public.customers'), { rows: 1000, productionRows: 10000, limited: true });
  t.match(report.text, /customers: 1,000 of 10,000 rows \(limited to 1,000\)/);
  t.ok(report.warnings.some((w) => /foreign key/.test(w)), 'orders reference customers that were not copied: a warning, not a failure');
  const [next] = await direct<{ id: string }>(staging, "INSERT INTO customers (name) VALUES ('new') RETURNING id::text");
  t.equal(next!.id, '10001', 'the sequence follows production, not the rows copied');
});

t.test('tools too old, or a staging that refuses us: clear errors without passwords', async (t) => {
  t.match(await thrown(findPgTool('pg_dump', 99)), { code: 'TW_PG_TOOL_MISSING', message: /pg_dump 99 or newer/ });
  const prod = await freshDatabase(t, 'fr_prod');
  await direct(prod, PROD);
  const bad = new URL(serverUrl('postgres'));
  bad.username = 'nobody_here';
  bad.password = 's3cret-pw';
  const err = await thrown(freshFromProduction({ productionUrl: serverUrl(prod), stagingUrl: bad.toString(), tables: ['customers'], dropOnStaging: [], logger }));
  t.match(err, { code: 'TW_FRESH_COPY_FAILED' });
  t.notMatch(err.message, /s3cret-pw/);
});
