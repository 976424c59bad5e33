import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import pg from 'pg';
import postgres from 'postgres';
import { direct, freshDatabase } from '../harness/env.js';
import { startEnforcingProxy } from '../harness/enforcing-proxy.js';

async function populated(t: Parameters<typeof freshDatabase>[0]): Promise<string> {
  const db = await freshDatabase(t);
  await direct(db, `CREATE TABLE customers (id int PRIMARY KEY, phone text);
    INSERT INTO customers SELECT g, '555-' || g FROM generate_series(1, 10000) g; ANALYZE customers;`);
  return db;
}

const phones = async (db: string) => (await direct<{ n: number }>(db, 'SELECT count(phone)::int AS n FROM customers'))[0]!.n;

t.test('simple protocol: a hold inside BEGIN aborts the server transaction too', async (t) => {
  const db = await populated(t);
  const proxy = await startEnforcingProxy(t);
  const c = new pg.Client({ connectionString: proxy.url(db) });
  await c.connect();
  t.teardown(() => c.end());
  await c.query('BEGIN');
  await c.query('CREATE TABLE customer_phones (customer_id int, phone text)');
  await t.rejects(c.query('ALTER TABLE customers DROP COLUMN phone'), { code: 'TW001' });
  await t.rejects(c.query('SELECT 1'), { code: '25P02' }, 'later statements fail with 25P02');
  t.equal((await c.query('COMMIT')).command, 'ROLLBACK', 'COMMIT reports ROLLBACK');
  t.same(await direct(db, "SELECT to_regclass('customer_phones') IS NULL AS gone"), [{ gone: true }], 'the work before the hold was rolled back');
  t.equal(await phones(db), 10000);
  t.same((await c.query('SELECT 1 AS ok')).rows, [{ ok: 1 }], 'the connection stays usable');
});

t.test('extended protocol: a DELETE whose WHERE is only a bind value is held at Parse, before true can be bound', async (t) => {
  const db = await populated(t);
  await direct(db, 'CREATE TABLE sessions (id int PRIMARY KEY); INSERT INTO sessions SELECT generate_series(1, 500); ANALYZE sessions;');
  const proxy = await startEnforcingProxy(t);
  const c = new pg.Client({ connectionString: proxy.url(db) });
  await c.connect();
  t.teardown(() => c.end());
  await t.rejects(c.query('DELETE FROM sessions WHERE $1', [true]), { code: 'TW001', message: /would destroy 500 rows in public.sessions/, detail: /never looks at the row/ });
  await t.rejects(c.query('UPDATE customers SET phone = $2 WHERE 1 = $1', [1, null]), { code: 'TW001' });
  t.same(await direct(db, 'SELECT (SELECT count(*)::int FROM sessions) AS sessions, (SELECT count(phone)::int FROM customers) AS phones'), [{ sessions: 500, phones: 10000 }], 'nothing reached the tables');
  t.equal((await c.query('DELETE FROM sessions WHERE id = $1', [7])).rowCount, 1, 'a DELETE that looks at the row passes');
});

t.test('extended protocol, pipelined: the error comes at the held statement and the rest stay in sync', async (t) => {
  const db = await populated(t);
  const proxy = await startEnforcingProxy(t);
  const sql = postgres(proxy.url(db), { max: 1, onnotice: () => undefined });
  t.teardown(() => sql.end());
  const results = await Promise.allSettled([
    sql`SELECT count(*)::int AS n FROM customers`,
    sql`DELETE FROM customers`,
    sql`SELECT ${'after'}::text AS v`,
  ]);
  t.same(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  t.match((results[1] as PromiseRejectedResult).reason, { code: 'TW001' });
  t.same((results[2] as PromiseFulfilledResult<unknown[]>).value, [{ v: 'after' }]);
  t.equal(await phones(db), 10000);
});

t.test('knex, statement by statement inside its migration transaction: the DROP is held on its own merits', async (t) => {
  const db = await populated(t);
  const proxy = await startEnforcingProxy(t);
  const dir = mkdtempSync(join(tmpdir(), 'tw-knex-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, '20261123_rename_phone.cjs'), `
exports.up = async (knex) => {
  await knex.schema.alterTable('customers', (t) => t.dropColumn('phone'));
  await knex.schema.alterTable('customers', (t) => t.string('phone'));
};
exports.down = async () => {};
`);
  const knex = knexFactory({ client: 'pg', connection: proxy.url(db), migrations: { directory: dir, loadExtensions: ['.cjs'] }, pool: { min: 0, max: 1 } });
  t.teardown(() => knex.destroy());
  const err = await knex.migrate.latest().catch((e: unknown) => e);
  t.match(err, { code: 'TW001', message: /customers.*phone.*10,000 values in public\.customers\.phone/ });
  t.equal(await phones(db), 10000, 'all 10,000 values intact');
  t.same(await direct(db, 'SELECT count(*)::int AS n FROM knex_migrations'), [{ n: 0 }], 'knex recorded nothing as applied');
});

t.test('observe mode holds nothing and records what it would have held', async (t) => {
  const db = await populated(t);
  const dir = mkdtempSync(join(tmpdir(), 'tw-pol-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'observe.yaml'), 'version: 1\nmode: observe\n');
  const proxy = await startEnforcingProxy(t, { policyPath: join(dir, 'observe.yaml') });
  const c = new pg.Client({ connectionString: proxy.url(db) });
  const notices: string[] = [];
  c.on('notice', (n) => notices.push(n.message ?? ''));
  await c.connect();
  t.teardown(() => c.end());
  await c.query('ALTER TABLE customers DROP COLUMN phone');
  t.same(await direct(db, "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'customers' AND column_name = 'phone'"), [{ n: 0 }], 'the statement ran');
  t.match(proxy.audit(), [{ event: 'would-hold', rules: ['drop-column'], objects: ['public.customers.phone'] }]);
  t.match(notices.join('\n'), /observe mode\) would hold/);
});
