/**
 * Rehearsals against real databases: a production and a staging copy per test. Each outcome is
 * checked on the report and on what staging really holds afterwards.
 */
import t from 'tap';
import { pino } from 'pino';
import { rehearse } from '../../src/rehearsal/rehearse.js';
import type { RehearsalInput, RehearsalProgress } from '../../src/rehearsal/types.js';
import { direct, freshDatabase, serverUrl } from '../harness/env.js';

const CRM = `
CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, phone varchar(20));
INSERT INTO customers SELECT g, 'C' || g, '+1-555-' || lpad(g::text, 6, '0') FROM generate_series(1, 10000) g;
CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers (id), total int);
INSERT INTO orders SELECT g, 1 + g % 100, g FROM generate_series(1, 300) g;
`;

async function pair(t: { teardown(fn: () => unknown): void }): Promise<{ prod: string; staging: string }> {
  const prod = await freshDatabase(t, 'rh_prod');
  const staging = await freshDatabase(t, 'rh_stage');
  await direct(prod, CRM);
  await direct(staging, CRM);
  return { prod, staging };
}

function input(dbs: { prod: string; staging: string }, migrations: Array<{ name: string; sql: string }>, over: Partial<RehearsalInput> = {}): RehearsalInput {
  return { productionUrl: serverUrl(dbs.prod), stagingUrl: serverUrl(dbs.staging), migrations, covered: [], discards: [], logger: pino({ level: 'silent' }), ...over };
}

const SPLIT = [
  { name: '001_phones.sql', sql: 'CREATE TABLE customer_phones (customer_id int, phone text);\nINSERT INTO customer_phones SELECT id, phone FROM customers WHERE phone IS NOT NULL;' },
  { name: '002_drop.sql', sql: 'ALTER TABLE customers DROP COLUMN phone;' },
];
const RENAME = [{ name: '001_rename.sql', sql: 'ALTER TABLE customers DROP COLUMN phone;\nALTER TABLE customers ADD COLUMN phone text;' }];

t.test('the table split: green, every phone found in its new home, progress step by step', async (t) => {
  const dbs = await pair(t);
  const progress: RehearsalProgress[] = [];
  const r = await rehearse(input(dbs, SPLIT, { covered: ['ALTER TABLE customers DROP COLUMN phone'], onProgress: (p) => progress.push(p) }));
  t.equal(r.state, 'green', r.text);
  t.equal(r.summary, 'data survived: 10,000 rows in customers kept; customers.phone moved to customer_phones.phone (10,000 values)');
  t.same(r.moves, [{ from: 'public.customers.phone', to: 'public.customer_phones.phone', values: 10000 }]);
  t.match(r.statements, [{ migration: '002_drop.sql', sql: 'ALTER TABLE customers DROP COLUMN phone', rules: ['drop-column'], covered: true }]);
  t.same(r.tables, ['public.customers', 'public.customer_phones']);
  t.same([...new Set(progress.map((p) => p.step))], ['drift', 'before', 'run', 'after', 'verify']);
  t.match(r.text, /moved: customers\.phone → customer_phones\.phone: 10,000 values, same count and hash/);
  t.same(await direct(dbs.staging, 'SELECT count(*)::int AS n FROM customer_phones'), [{ n: 10000 }], 'the migration really ran on staging');
  t.same(await direct(dbs.prod, "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'customer_phones'"), [{ n: 0 }], 'and not on production');
});

t.test('the drop-and-recreate "rename": red, and the loss named', async (t) => {
  const dbs = await pair(t);
  const r = await rehearse(input(dbs, RENAME, { covered: ['ALTER TABLE customers DROP COLUMN phone'] }));
  t.equal(r.state, 'red');
  t.equal(r.summary, 'customers.phone: 10,000 values before, 0 after, found in no column');
  t.same(r.losses, [{ column: 'public.customers.phone', before: 10000, after: 0 }]);
  t.match(r.text, /LOST: customers\.phone: 10,000 values before, 0 after, found in no column/);
});

t.test('a declared discard is green, with its reason in the report', async (t) => {
  const dbs = await pair(t);
  const r = await rehearse(input(dbs, [{ name: '001.sql', sql: 'ALTER TABLE customers DROP COLUMN phone;' }], { covered: ['ALTER TABLE customers DROP COLUMN phone'], discards: [{ column: 'customers.phone', reason: 'we stopped calling customers in 2024' }] }));
  t.equal(r.state, 'green', r.text);
  t.same(r.discarded, [{ column: 'public.customers.phone', values: 10000, reason: 'we stopped calling customers in 2024' }]);
  t.match(r.text, /discarded: customers\.phone: 10,000 values; the change says: we stopped calling customers in 2024/);
});

t.test('a mass delete and a lossy type change are red', async (t) => {
  const dbs = await pair(t);
  const del = await rehearse(input(dbs, [{ name: '001.sql', sql: 'DELETE FROM orders WHERE total > 100;' }], { covered: [] }));
  t.equal(del.state, 'red');
  t.match(del.rowLosses, [{ table: 'public.orders', before: 300, after: 100 }]);
  t.match(del.text, /orders: 300 rows before, 100 after/);
  const dbs2 = await pair(t);
  const lossy = await rehearse(input(dbs2, [{ name: '001.sql', sql: 'ALTER TABLE customers ALTER COLUMN phone TYPE varchar(5) USING left(phone, 5);' }], { covered: ['ALTER TABLE customers ALTER COLUMN phone TYPE varchar(5) USING left(phone, 5)'] }));
  t.equal(lossy.state, 'red', lossy.text);
  t.equal(lossy.summary, 'customers.phone: 10,000 values before, 10,000 after, changed, found in no column');
});

t.test('drift: staging differs from production; the differences listed, nothing run', async (t) => {
  const dbs = await pair(t);
  await direct(dbs.staging, 'ALTER TABLE customers ADD COLUMN fax text; DROP TABLE orders;');
  const r = await rehearse(input(dbs, SPLIT, { covered: ['ALTER TABLE customers DROP COLUMN phone'] }));
  t.equal(r.state, 'red');
  t.match(r.summary, /^staging has drifted from production: 2 differences/);
  t.same(r.drift?.differences, ['column public.customers.fax: only on staging (text)', 'table public.orders: only in production (id, customer_id, total)']);
  t.same(await direct(dbs.staging, "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'customer_phones'"), [{ n: 0 }], 'nothing ran');
});

t.test('a statement production would hold that the token does not cover is red', async (t) => {
  const dbs = await pair(t);
  const r = await rehearse(input(dbs, SPLIT, { covered: [] }));
  t.equal(r.state, 'red');
  t.equal(r.summary, 'ALTER TABLE customers DROP COLUMN phone would be held in production, and the plan token does not cover it');
});

t.test('a failing migration is red with its error; a violated NOT VALID constraint is red', async (t) => {
  const dbs = await pair(t);
  const r = await rehearse(input(dbs, [{ name: '001.sql', sql: 'ALTER TABLE customers ADD COLUMN x int;\nINSERT INTO nowhere VALUES (1);' }]));
  t.equal(r.state, 'red');
  t.match(r.summary, /^migration 001\.sql failed on staging: relation "nowhere" does not exist/);
  const dbs2 = await pair(t);
  const c = await rehearse(input(dbs2, [{ name: '001.sql', sql: "ALTER TABLE customers ADD CONSTRAINT short_phone CHECK (length(phone) < 5) NOT VALID;" }]));
  t.equal(c.state, 'red', c.text);
  t.match(c.summary, /^constraint short_phone on customers is violated by existing rows/);
  t.same(await direct(dbs2.staging, "SELECT convalidated FROM pg_constraint WHERE conname = 'short_phone'"), [{ convalidated: false }], 'the check was rolled back');
});

t.test('a migration with CREATE INDEX CONCURRENTLY runs statement by statement, as a runner without a transaction sends it', async (t) => {
  const dbs = await pair(t);
  const r = await rehearse(input(dbs, [{ name: '001_index.sql', sql: 'ALTER TABLE customers ADD COLUMN email text;\nCREATE INDEX CONCURRENTLY customers_email ON customers (email);' }]));
  t.equal(r.state, 'green', r.text);
  t.same(await direct(dbs.staging, "SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'customers_email'"), [{ n: 1 }]);
});
