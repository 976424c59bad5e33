import t from 'tap';
import { ok, only, violations } from '../helpers.js';

t.test('rename-as-drop: the seed story message, word for word', async (t) => {
  const f = only('ALTER TABLE customers DROP COLUMN phone;\nALTER TABLE customers ADD COLUMN phone varchar(20);', 'rename-as-drop');
  t.equal(f.message, 'This "rename" is a drop: it drops customers.phone and recreates it empty — the data goes with it.');
  t.equal(f.line, 1, 'reported at the DROP, where the data goes');
  t.same(f.objects, ['public.customers.phone']);
  t.match(f.suggestion, /copy the data first/);
  t.match(f.suggestion, /RENAME COLUMN/);
});

t.test('rename-as-drop: replaces drop-column and suggests RENAME COLUMN', async (t) => {
  const sql = 'ALTER TABLE customers DROP COLUMN phone;\nALTER TABLE customers ADD COLUMN mobile text;';
  ok(t, sql, 'drop-column');
  const f = only(sql, 'rename-as-drop');
  t.equal(f.message, 'This "rename" is a drop: it drops customers.phone and adds customers.mobile empty — the data goes with it.');
  t.match(f.suggestion, /ALTER TABLE customers RENAME COLUMN phone TO mobile/);
  t.match(f.suggestion, /copy the data/);
});

t.test('rename-as-drop: in one ALTER TABLE (Prisma) and across a transaction (Django)', async (t) => {
  t.same(violations('ALTER TABLE "customers" DROP COLUMN "phone", ADD COLUMN "phone_number" TEXT;', 'rename-as-drop'), ['rename-as-drop@1 public.customers.phone public.customers.phone_number']);
  t.same(violations('BEGIN;\nALTER TABLE customers DROP COLUMN phone CASCADE;\nSELECT 1;\nALTER TABLE customers ADD COLUMN phone_no varchar(20) NULL;\nCOMMIT;', 'rename-as-drop'), ['rename-as-drop@2 public.customers.phone public.customers.phone_no']);
});

t.test('rename-as-drop: an incompatible type on another name, another table, or a new column is not a rename', async (t) => {
  t.same(violations('ALTER TABLE customers DROP COLUMN phone;\nALTER TABLE customers ADD COLUMN vip boolean;', 'rename-as-drop'), []);
  t.same(violations('ALTER TABLE customers DROP COLUMN phone;\nALTER TABLE customers ADD COLUMN vip boolean;', 'drop-column'), ['drop-column@1 public.customers.phone']);
  ok(t, 'ALTER TABLE customers DROP COLUMN phone;\nALTER TABLE orders ADD COLUMN phone text;', 'rename-as-drop');
  ok(t, 'ALTER TABLE customers ADD COLUMN a text; ALTER TABLE customers DROP COLUMN a; ALTER TABLE customers ADD COLUMN a text;', 'rename-as-drop');
});

t.test('rename-as-drop: each DROP matches one ADD', async (t) => {
  t.same(violations('ALTER TABLE customers DROP COLUMN phone; ALTER TABLE customers ADD COLUMN a text; ALTER TABLE customers ADD COLUMN b text;', 'rename-as-drop'), ['rename-as-drop@1 public.customers.phone public.customers.a']);
});
