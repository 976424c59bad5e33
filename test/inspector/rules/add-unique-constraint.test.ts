import t from 'tap';
import { ok, violations } from '../helpers.js';

t.test('add-unique-constraint: UNIQUE and PRIMARY KEY, as constraints or on a new column', async (t) => {
  t.same(violations('ALTER TABLE customers ADD UNIQUE (email);', 'add-unique-constraint'), ['add-unique-constraint@1 public.customers']);
  t.same(violations('ALTER TABLE audit_log ADD COLUMN k int PRIMARY KEY;', 'add-unique-constraint'), ['add-unique-constraint@1 public.audit_log']);
});

t.test('add-unique-constraint: USING INDEX, or a new table', async (t) => {
  ok(t, 'ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE USING INDEX customers_email_idx;', 'add-unique-constraint');
  ok(t, 'CREATE TABLE t (a int); ALTER TABLE t ADD PRIMARY KEY (a);', 'add-unique-constraint');
});
