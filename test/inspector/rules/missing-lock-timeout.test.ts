import t from 'tap';
import { ok, violations } from '../helpers.js';

t.test('missing-lock-timeout: once per migration, at the first ACCESS EXCLUSIVE lock', async (t) => {
  t.same(violations('SELECT 1;\nALTER TABLE customers ADD COLUMN a int;\nALTER TABLE orders ADD COLUMN b int;', 'missing-lock-timeout'), ['missing-lock-timeout@2 public.customers']);
});

t.test('missing-lock-timeout: a lock_timeout in force, weaker locks, new tables', async (t) => {
  ok(t, "SET lock_timeout = '5s';\nALTER TABLE customers ADD COLUMN a int;", 'missing-lock-timeout');
  ok(t, "BEGIN; SET LOCAL lock_timeout = '5s'; ALTER TABLE customers ADD COLUMN a int; COMMIT;", 'missing-lock-timeout');
  ok(t, 'CREATE INDEX CONCURRENTLY i ON customers (email);', 'missing-lock-timeout');
  ok(t, 'CREATE TABLE t (a int); ALTER TABLE t ADD COLUMN b int;', 'missing-lock-timeout');
});

t.test('missing-lock-timeout: SET lock_timeout = 0 turns it off again', async (t) => {
  t.same(violations("SET lock_timeout = '5s';\nSET lock_timeout = 0;\nALTER TABLE customers ADD COLUMN a int;", 'missing-lock-timeout'), ['missing-lock-timeout@3 public.customers']);
});
