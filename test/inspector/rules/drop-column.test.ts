import t from 'tap';
import { emptyCatalog } from '../../../src/inspector/index.js';
import { ok, only, violations } from '../helpers.js';

t.test('drop-column: names the column and what it destroys', async (t) => {
  const f = only('ALTER TABLE customers DROP COLUMN phone;', 'drop-column');
  t.equal(f.message, 'ALTER TABLE customers DROP COLUMN phone destroys every value in public.customers.phone');
  t.same(f.objects, ['public.customers.phone']);
  t.equal(f.action, 'ALTER TABLE customers DROP COLUMN phone');
  t.match(f.suggestion, /RENAME COLUMN phone TO/);
});

t.test('drop-column: quoting, schemas and search_path', async (t) => {
  t.same(violations('ALTER TABLE "LegacyAccounts" DROP COLUMN "Phone";', 'drop-column'), ['drop-column@1 public."LegacyAccounts"."Phone"']);
  t.same(violations('SET search_path = billing;\nALTER TABLE invoices DROP COLUMN amount;', 'drop-column'), ['drop-column@2 billing.invoices.amount']);
  t.same(violations('ALTER TABLE customers DROP COLUMN U&"ph\\006Fne";', 'drop-column'), ['drop-column@1 public.customers.phone']);
});

t.test('drop-column: nothing existing, nothing lost', async (t) => {
  ok(t, 'ALTER TABLE customers DROP COLUMN IF EXISTS fax;', 'drop-column');
  ok(t, 'ALTER TABLE customers ADD COLUMN scratch int; ALTER TABLE customers DROP COLUMN scratch;', 'drop-column');
  ok(t, 'CREATE TABLE t (a int, b int); ALTER TABLE t DROP COLUMN b;', 'drop-column');
  ok(t, 'ALTER TABLE no_such_table DROP COLUMN a;', 'drop-column');
});

t.test('drop-column: without a schema file, unknown columns may exist', async (t) => {
  t.same(violations('ALTER TABLE widgets DROP COLUMN gadget;', 'drop-column', emptyCatalog()), ['drop-column@1 public.widgets.gadget']);
});
