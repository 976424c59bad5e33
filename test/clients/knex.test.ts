/**
 * knex migrations through the proxy: its lock table, one transaction, builder calls in the extended
 * protocol and raw SQL in the simple one, with the same schema, rows and bookkeeping as directly.
 */
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import knex from 'knex';
import { direct, freshDatabase, serverUrl } from '../harness/env.js';
import { startTestProxy } from '../harness/proxy.js';
import { schemaDump, tempDir, type Teardown } from './support.js';

function writeMigrations(t: Teardown): string {
  const dir = tempDir(t, 'tw-knex-');
  writeFileSync(
    join(dir, '20240101000000_gadgets.cjs'),
    `exports.up = async (knex) => {
       await knex.schema.createTable('gadgets', (t) => { t.increments('id'); t.string('name').notNullable().unique(); });
       await knex.schema.alterTable('gadgets', (t) => { t.decimal('weight', 8, 2); t.jsonb('specs'); });
       await knex('gadgets').insert([{ name: 'lever', weight: 1.5, specs: { arms: 2 } }, { name: 'pulley', weight: null, specs: null }]);
     };
     exports.down = (knex) => knex.schema.dropTable('gadgets');
    `,
  );
  writeFileSync(
    join(dir, '20240102000000_raw.cjs'),
    `exports.up = (knex) => knex.raw("CREATE INDEX gadgets_weight_idx ON gadgets (weight); UPDATE gadgets SET weight = 9.75 WHERE name = 'pulley'");
     exports.down = (knex) => knex.raw('DROP INDEX gadgets_weight_idx');
    `,
  );
  return dir;
}

async function migrateLatest(t: Teardown, connection: string, directory: string) {
  const db = knex({ client: 'pg', connection, pool: { min: 0, max: 2 } });
  t.teardown(() => db.destroy());
  const [batch, log] = (await db.migrate.latest({ directory, loadExtensions: ['.cjs'] })) as [number, string[]];
  return { batch, log };
}

async function state(db: string) {
  return {
    bookkeeping: await direct(db, 'SELECT id, name, batch FROM knex_migrations ORDER BY id'),
    lock: await direct(db, 'SELECT index, is_locked FROM knex_migrations_lock'),
    rows: await direct(db, 'SELECT id, name, weight::text, specs FROM gadgets ORDER BY id'),
  };
}

t.test('knex migrate:latest through the proxy', async (t) => {
  const proxy = await startTestProxy(t);
  const dir = writeMigrations(t);
  const directDb = await freshDatabase(t);
  const proxyDb = await freshDatabase(t);
  const expected = { batch: 1, log: ['20240101000000_gadgets.cjs', '20240102000000_raw.cjs'] };

  t.same(await migrateLatest(t, serverUrl(directDb), dir), expected, 'direct: batch 1 runs both migrations');
  t.same(await migrateLatest(t, proxy.url(proxyDb), dir), expected, 'through the proxy: batch 1 runs both migrations');
  t.match(await state(proxyDb), { lock: [{ is_locked: 0 }], rows: [{ name: 'lever', weight: '1.50', specs: { arms: 2 } }, { name: 'pulley', weight: '9.75' }] }, 'rows, bookkeeping and a released lock');
  t.same(await state(proxyDb), await state(directDb), 'the same rows and bookkeeping as direct');
  t.equal(await schemaDump(t, proxyDb), await schemaDump(t, directDb), 'the same schema as direct');
  t.same(await migrateLatest(t, proxy.url(proxyDb), dir), { batch: 1, log: [] }, 'a second run through the proxy has nothing to do');
});
