import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { direct, freshDatabase } from '../harness/env.js';
import { pgBinary } from '../harness/binaries.js';
import { startEnforcingProxy } from '../harness/enforcing-proxy.js';

/** The generated "rename": what Prisma, TypeORM, drizzle-kit and Django emit for a renamed column. */
const GENERATED_MIGRATION = `ALTER TABLE customers DROP COLUMN phone;
ALTER TABLE customers ADD COLUMN phone text;
`;

async function seedCustomers(db: string): Promise<string> {
  await direct(db, `CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, phone text);
    INSERT INTO customers SELECT g, 'Customer ' || g, '+1-555-' || lpad(g::text, 6, '0') FROM generate_series(1, 10000) g;
    ANALYZE customers;`);
  return checksum(db);
}

async function checksum(db: string): Promise<string> {
  const rows = await direct<{ sum: string; n: number }>(db, "SELECT md5(string_agg(id || ':' || coalesce(phone, '∅'), ',' ORDER BY id)) AS sum, count(phone)::int AS n FROM customers");
  return `${rows[0]!.n}:${rows[0]!.sum}`;
}

t.test('the generated rename is held through psql -f, and all 10,000 phone numbers survive', async (t) => {
  const db = await freshDatabase(t);
  const before = await seedCustomers(db);
  const proxy = await startEnforcingProxy(t);
  const dir = mkdtempSync(join(tmpdir(), 'tw-mig-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, '20261123_rename_phone.sql');
  writeFileSync(file, GENERATED_MIGRATION);
  const res = await promisify(execFile)(pgBinary('psql'), [proxy.url(db), '-v', 'ON_ERROR_STOP=1', '-f', file]).catch((e: { code: number; stderr: string }) => e);
  t.equal((res as { code?: number }).code, 3, 'psql stops with ON_ERROR_STOP');
  t.match((res as { stderr: string }).stderr, /tripwire held: ALTER TABLE customers DROP COLUMN phone would destroy 10,000 values in public\.customers\.phone/);
  t.equal(await checksum(db), before, 'every phone number is intact');
  const audit = proxy.audit();
  t.equal(audit.length, 1);
  t.match(audit[0], { event: 'held', database: db, rules: ['drop-column'], objects: ['public.customers.phone'], verdict: 'hold' });
});

t.test('sent together in one transaction, the pair is named for what it is: a rename that is a drop', async (t) => {
  const db = await freshDatabase(t);
  const before = await seedCustomers(db);
  const proxy = await startEnforcingProxy(t);
  const sql = postgres(proxy.url(db), { max: 1, onnotice: () => undefined });
  t.teardown(() => sql.end());
  const err = await sql.begin(async (tx) => {
    await tx.unsafe(GENERATED_MIGRATION);
  }).catch((e: unknown) => e);
  t.match(err, { code: 'TW001', message: /This "rename" is a drop: it drops customers\.phone and recreates it empty — the data goes with it\. \(10,000 values in public\.customers\.phone\)/ });
  t.equal(await checksum(db), before);
});

t.test('through postgres.js’s extended protocol, statement by statement in a transaction', async (t) => {
  const db = await freshDatabase(t);
  const before = await seedCustomers(db);
  const proxy = await startEnforcingProxy(t);
  const sql = postgres(proxy.url(db), { max: 1, onnotice: () => undefined });
  t.teardown(() => sql.end());
  const err = await sql.begin(async (tx) => {
    await tx`ALTER TABLE customers DROP COLUMN phone`;
    await tx`ALTER TABLE customers ADD COLUMN phone text`;
  }).catch((e: unknown) => e);
  t.match(err, { code: 'TW001', message: /customers\.phone/ });
  t.match(err, { message: /10,000 values/ });
  t.equal(await checksum(db), before);
  t.same(await sql`SELECT count(*)::int AS n FROM customers`, [{ n: 10000 }], 'the session is usable afterwards');
});

t.test('a drop of an empty column passes with a notice', async (t) => {
  const db = await freshDatabase(t);
  await direct(db, 'CREATE TABLE customers (id int, fax text); INSERT INTO customers SELECT g, NULL FROM generate_series(1, 50) g');
  const proxy = await startEnforcingProxy(t);
  const notices: string[] = [];
  const sql = postgres(proxy.url(db), { max: 1, onnotice: (n) => notices.push(n.message) });
  t.teardown(() => sql.end());
  await sql`ALTER TABLE customers DROP COLUMN fax`;
  t.same(await direct(db, "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'customers' AND column_name = 'fax'"), [{ n: 0 }], 'the column is gone');
  t.match(notices.join('\n'), /proven empty/);
  t.match(proxy.audit()[0], { event: 'passed-empty' });
});

t.test('a table created on the server directly, not through the proxy, is still protected', async (t) => {
  const db = await freshDatabase(t);
  await direct(db, 'CREATE TABLE early (id int)');
  const proxy = await startEnforcingProxy(t, { catalogMaxAgeMs: 0 });
  const c = postgres(proxy.url(db), { max: 1, onnotice: () => undefined });
  t.teardown(() => c.end());
  await c`SELECT count(*) FROM early`; // the proxy has read the catalog by now
  await direct(db, "CREATE TABLE imported (id int, email text); INSERT INTO imported SELECT g, 'x' FROM generate_series(1, 300) g");
  const err = await c.unsafe('DROP TABLE imported').catch((e: unknown) => e);
  t.match(err, { code: 'TW001', message: /300 rows in public\.imported/ });
  t.same(await direct(db, 'SELECT count(*)::int AS n FROM imported'), [{ n: 300 }]);
});
