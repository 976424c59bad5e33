import t from 'tap';
import { ok, only, violations } from '../helpers.js';

t.test('rename-column: breaks running code', async (t) => {
  t.same(violations('ALTER TABLE customers RENAME COLUMN phone TO mobile;', 'rename-column'), ['rename-column@1 public.customers.phone public.customers.mobile']);
  t.equal(only('ALTER TABLE customers RENAME phone TO mobile;', 'rename-column').severity, 'warn');
});

t.test('rename-column: columns and tables this migration created', async (t) => {
  ok(t, 'ALTER TABLE customers ADD COLUMN x int; ALTER TABLE customers RENAME COLUMN x TO y;', 'rename-column');
  ok(t, 'CREATE TABLE t (a int); ALTER TABLE t RENAME COLUMN a TO b;', 'rename-column');
});
