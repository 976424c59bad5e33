import t from 'tap';
import { lint, ok, violations } from '../helpers.js';

t.test('concurrently-in-transaction: inside BEGIN', async (t) => {
  t.same(violations('BEGIN;\nCREATE INDEX CONCURRENTLY i ON customers (email);\nCOMMIT;', 'concurrently-in-transaction'), ['concurrently-in-transaction@2 public.customers']);
  t.same(violations('START TRANSACTION;\nVACUUM audit_log;\nCOMMIT;', 'concurrently-in-transaction'), ['concurrently-in-transaction@2 public.audit_log']);
});

t.test('concurrently-in-transaction: after COMMIT, or outside', async (t) => {
  ok(t, 'BEGIN;\nSELECT 1;\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON customers (email);', 'concurrently-in-transaction');
  ok(t, 'CREATE INDEX CONCURRENTLY i ON customers (email);', 'concurrently-in-transaction');
  t.same(lint('BEGIN; ROLLBACK; DROP INDEX CONCURRENTLY orders_customer_id_idx;').map((f) => f.rule), []);
});
