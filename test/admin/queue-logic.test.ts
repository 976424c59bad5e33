/** The queue's pure parts: effects from catalogs, what touches what, and lint at submission. */
import t from 'tap';
import { catalogFromSql, loadInspector } from '../../src/inspector/index.js';
import { effectOf, effectVisible, objectsOf, touches } from '../../src/queue/effect.js';
import { lintChange, withChecksums } from '../../src/queue/lint-change.js';

await loadInspector();
const live = catalogFromSql('CREATE TABLE customers (id int PRIMARY KEY, name text, phone text); CREATE TABLE old (id int);').catalog;

t.test('effects name relations once, columns only of surviving tables, and renames as both', async (t) => {
  const after = catalogFromSql(`CREATE TABLE customers (id int PRIMARY KEY, full_name text, phone bigint);
    CREATE TABLE customer_phones (customer_id int, phone text);`).catalog;
  t.same(effectOf(live, after), {
    created: ['public.customer_phones', 'public.customers.full_name'],
    removed: ['public.customers.name', 'public.old'],
    changed: ['public.customers.phone'],
  });
  t.ok(effectVisible({ created: ['public.customer_phones'], removed: ['public.old'], changed: [] }, objectsOf(after)));
  t.notOk(effectVisible({ created: ['public.customer_phones'], removed: [], changed: [] }, objectsOf(live)));
  t.notOk(effectVisible({ created: [], removed: [], changed: ['public.customers.phone'] }, objectsOf(after)), 'a shape-less effect is never taken as applied');
});

t.test('reading a table touches its columns and the other way round', async (t) => {
  t.ok(touches('public.customers.phone', 'public.customers'));
  t.ok(touches('public.customers', 'public.customers.phone'));
  t.ok(touches('public.customers.phone', 'public.customers.phone'));
  t.notOk(touches('public.customers_archive', 'public.customers'));
  t.notOk(touches('public.customers.phone', 'public.customers.phone_verified'));
});

t.test('lint at submission: destructive statements, judged per file and across files as a runner sends them in one transaction', async (t) => {
  const linted = lintChange(
    withChecksums([
      { name: '1_drop.sql', sql: 'ALTER TABLE customers DROP COLUMN phone;' },
      { name: '2_add.sql', sql: 'CREATE INDEX customers_name ON customers (name);\nALTER TABLE customers ADD COLUMN phone text;' },
    ]),
    live,
  );
  t.same(linted.destructive, [
    { migration: '1_drop.sql', statement: 1, sql: 'ALTER TABLE customers DROP COLUMN phone', rules: ['drop-column', 'rename-as-drop'] },
  ], 'the drop, which judged with the next file is also a rename-as-drop; the re-add itself is not held');
  t.same(linted.effect, { created: ['public.customers_name'], removed: [], changed: [] }, 'the column is back, the index is new');
  t.ok(linted.findings.every((f) => typeof f.line === 'number' && f.migration), 'findings keep their file and line');
  const clean = lintChange(withChecksums([{ name: 'a.sql', sql: 'CREATE TABLE t (id int);' }]), live);
  t.same(clean.destructive, []);
  t.equal(withChecksums([{ name: 'a', sql: 'x' }])[0]!.checksum, '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881');
});
