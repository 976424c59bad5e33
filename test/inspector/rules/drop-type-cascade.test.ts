import t from 'tap';
import { emptyCatalog } from '../../../src/inspector/index.js';
import { ok, violations } from '../helpers.js';

t.test('drop-type-cascade: the columns of the type go', async (t) => {
  t.same(violations('DROP TYPE mood CASCADE;', 'drop-type-cascade'), ['drop-type-cascade@1 public.customers.mood']);
  t.same(violations('DROP DOMAIN email_address CASCADE;', 'drop-type-cascade'), ['drop-type-cascade@1 billing.invoices.contact']);
});

t.test('drop-type-cascade: without CASCADE, or with no column of the type, nothing is lost', async (t) => {
  ok(t, 'DROP TYPE mood;', 'drop-type-cascade');
  ok(t, "CREATE TYPE colour AS ENUM ('red'); DROP TYPE colour CASCADE;", 'drop-type-cascade');
  ok(t, "ALTER TABLE customers DROP COLUMN mood; DROP TYPE mood CASCADE;", 'drop-type-cascade');
});

t.test('drop-type-cascade: an unknown type without a schema file may be in use', async (t) => {
  t.same(violations('DROP TYPE status CASCADE;', 'drop-type-cascade', emptyCatalog()), ['drop-type-cascade@1']);
});

t.test('drop-type-cascade: the catalog loses the columns', async (t) => {
  ok(t, 'DROP TYPE mood CASCADE;\nALTER TABLE customers DROP COLUMN IF EXISTS mood;', 'drop-column');
});
