import t from 'tap';
import { ok, only, violations } from '../helpers.js';

t.test('constraint-missing-not-valid: foreign key and check', async (t) => {
  t.same(violations('ALTER TABLE sessions ADD FOREIGN KEY (customer_id) REFERENCES customers (id);', 'constraint-missing-not-valid'), ['constraint-missing-not-valid@1 public.sessions public.customers']);
  t.match(only('ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0);', 'constraint-missing-not-valid').message, /check constraint positive on public\.orders without NOT VALID scans every row/);
});

t.test('constraint-missing-not-valid: NOT VALID, other kinds, new tables', async (t) => {
  ok(t, 'ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID;', 'constraint-missing-not-valid');
  ok(t, 'ALTER TABLE orders ADD CONSTRAINT u UNIQUE (id, total);', 'constraint-missing-not-valid');
  ok(t, 'CREATE TABLE t (c bigint); ALTER TABLE t ADD FOREIGN KEY (c) REFERENCES customers (id);', 'constraint-missing-not-valid');
});
