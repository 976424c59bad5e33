import t from 'tap';
import { ok, violations } from '../helpers.js';

t.test('set-not-null: scans an existing table', async (t) => {
  t.same(violations('ALTER TABLE customers ALTER COLUMN email SET NOT NULL;', 'set-not-null'), ['set-not-null@1 public.customers.email']);
});

t.test('set-not-null: proven by a validated CHECK, not by an unvalidated one', async (t) => {
  const add = 'ALTER TABLE customers ADD CONSTRAINT e CHECK (email IS NOT NULL) NOT VALID;\n';
  ok(t, `${add}ALTER TABLE customers VALIDATE CONSTRAINT e;\nALTER TABLE customers ALTER COLUMN email SET NOT NULL;`, 'set-not-null');
  t.same(violations(`${add}ALTER TABLE customers ALTER COLUMN email SET NOT NULL;`, 'set-not-null'), ['set-not-null@2 public.customers.email']);
  ok(t, 'CREATE TABLE t (a int); ALTER TABLE t ALTER COLUMN a SET NOT NULL;', 'set-not-null');
});
