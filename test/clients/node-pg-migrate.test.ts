/**
 * node-pg-migrate's runner with its URL pointing at the proxy: it takes its session advisory lock,
 * applies a JS and a SQL migration (create table, add column, insert) in one transaction, and keeps
 * its bookkeeping, exactly as it does directly.
 */
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PG_MIGRATE_LOCK_ID, runner } from 'node-pg-migrate';
import { direct, freshDatabase, serverUrl } from '../harness/env.js';
import { startTestProxy } from '../harness/proxy.js';
import { pgClient, rejection, schemaDump, tempDir, type Teardown } from './support.js';

function writeMigrations(t: Teardown): string {
  const dir = tempDir(t, 'tw-npm-');
  writeFileSync(
    join(dir, '1700000000000_create-widgets.cjs'),
    `exports.up = (pgm) => {
       pgm.createTable('widgets', { id: 'id', name: { type: 'text', notNull: true, unique: true } });
       pgm.createIndex('widgets', 'lower(name)', { name: 'widgets_lower_name_idx' });
     };
     exports.down = (pgm) => pgm.dropTable('widgets');
    `,
  );
  writeFileSync(
    join(dir, '1700000000001_add-price.sql'),
    `-- Up Migration
ALTER TABLE widgets ADD COLUMN price numeric(10, 2) NOT NULL DEFAULT 0;
INSERT INTO widgets (name, price) VALUES ('sprocket', 9.99), ('gear', 4.50), ('it''s', 0);
COMMENT ON COLUMN widgets.price IS 'in euros; added by a .sql migration';

-- Down Migration
ALTER TABLE widgets DROP COLUMN price;
`,
  );
  return dir;
}

const migrate = (databaseUrl: string, dir: string, direction: 'up' | 'down', count?: number) =>
  runner({ databaseUrl, dir, direction, migrationsTable: 'pgmigrations', log: () => {}, ...(count ? { count } : {}) }).then((ran) => ran.map((m) => m.name));

async function state(db: string) {
  return {
    bookkeeping: await direct(db, 'SELECT id, name FROM pgmigrations ORDER BY id'),
    rows: await direct(db, 'SELECT id, name, price::text FROM widgets ORDER BY id'),
  };
}

t.test('node-pg-migrate up, re-run, locked and down through the proxy', async (t) => {
  const proxy = await startTestProxy(t);
  const dir = writeMigrations(t);
  const directDb = await freshDatabase(t);
  const proxyDb = await freshDatabase(t);
  const names = ['1700000000000_create-widgets', '1700000000001_add-price'];

  t.same(await migrate(serverUrl(directDb), dir, 'up'), names, 'direct: both migrations run');
  t.same(await migrate(proxy.url(proxyDb), dir, 'up'), names, 'through the proxy: both migrations run');
  t.same(await state(proxyDb), await state(directDb), 'the same rows and bookkeeping as direct');
  t.match(await state(proxyDb), { rows: [{ name: 'sprocket', price: '9.99' }, { name: 'gear', price: '4.50' }, { name: "it's", price: '0.00' }] }, 'the inserted rows are there');
  t.equal(await schemaDump(t, proxyDb), await schemaDump(t, directDb), 'the same schema as direct');

  t.same(await migrate(proxy.url(proxyDb), dir, 'up'), [], 'a second run through the proxy has nothing to do');

  // Another proxied session holding the runner's advisory lock keeps it out.
  const holder = await pgClient(t, proxy.url(proxyDb));
  await holder.query('SELECT pg_advisory_lock($1)', [PG_MIGRATE_LOCK_ID]);
  t.match(await rejection(migrate(proxy.url(proxyDb), dir, 'down', 1)), { message: /Another migration is already running/ }, 'the runner sees the lock held by another proxied session');
  await holder.query('SELECT pg_advisory_unlock($1)', [PG_MIGRATE_LOCK_ID]);

  t.same(await migrate(proxy.url(proxyDb), dir, 'down', 1), ['1700000000001_add-price'], 'down 1 through the proxy');
  t.same(await migrate(serverUrl(directDb), dir, 'down', 1), ['1700000000001_add-price'], 'down 1 directly');
  t.same(await direct(proxyDb, 'SELECT name FROM pgmigrations ORDER BY id'), [{ name: names[0] }], 'the bookkeeping forgets the SQL migration');
  t.equal(await schemaDump(t, proxyDb), await schemaDump(t, directDb), 'the same schema as direct after down');
});
