import t from 'tap';
import pg from 'pg';
import { freshDatabase, serverUrl } from '../harness/env.js';
import { dataAtStake } from '../../src/catalog/data-at-stake.js';

t.test('counts small tables exactly, estimates large ones from statistics', async (t) => {
  const db = await freshDatabase(t);
  const client = new pg.Client({ connectionString: serverUrl(db) });
  await client.connect();
  t.teardown(() => client.end());
  await client.query(`
    CREATE TABLE customers (id int, phone text, "Weird ""Name""" text);
    INSERT INTO customers SELECT g, CASE WHEN g % 4 = 0 THEN NULL ELSE '555-' || g END, NULL FROM generate_series(1, 10000) g;
    CREATE TABLE empty_one (x int);
    ANALYZE customers;`);

  t.same(await dataAtStake(client, { schema: 'public', table: 'customers', column: 'phone' }),
    { schema: 'public', table: 'customers', column: 'phone', rows: 10000, values: 7500, exact: true });
  t.same(await dataAtStake(client, { schema: 'public', table: 'customers', column: 'Weird "Name"' }),
    { schema: 'public', table: 'customers', column: 'Weird "Name"', rows: 10000, values: 0, exact: true }, 'quoted identifiers are safe');
  t.same(await dataAtStake(client, { schema: 'public', table: 'empty_one' }), { schema: 'public', table: 'empty_one', rows: 0, values: 0, exact: true });
  t.equal(await dataAtStake(client, { schema: 'public', table: 'nope' }), null, 'a missing table is null');
  t.equal(await dataAtStake(client, { schema: 'public', table: 'customers', column: 'nope' }), null, 'a missing column is null');

  const est = await dataAtStake(client, { schema: 'public', table: 'customers', column: 'phone' }, { exactCountMaxRows: 100, exactCountTimeoutMs: 500 });
  t.equal(est?.exact, false, 'over the exact-count limit: an estimate');
  t.ok(est!.values > 6000 && est!.values < 9000, `the estimate (${est!.values}) comes from pg_stats null_frac`);
  t.same((await client.query('SELECT 1 AS ok')).rows, [{ ok: 1 }], 'the connection is left usable, outside a transaction');
});
