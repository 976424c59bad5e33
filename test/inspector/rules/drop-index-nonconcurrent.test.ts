import t from 'tap';
import { ok, violations } from '../helpers.js';

t.test('drop-index-nonconcurrent: names the index and its table', async (t) => {
  t.same(violations('DROP INDEX orders_customer_id_idx;', 'drop-index-nonconcurrent'), ['drop-index-nonconcurrent@1 public.orders_customer_id_idx public.orders']);
});

t.test('drop-index-nonconcurrent: CONCURRENTLY, a missing index, an index on a new table', async (t) => {
  ok(t, 'DROP INDEX CONCURRENTLY orders_customer_id_idx;', 'drop-index-nonconcurrent');
  ok(t, 'DROP INDEX IF EXISTS no_such_idx;', 'drop-index-nonconcurrent');
  ok(t, 'CREATE TABLE t (a int); CREATE INDEX t_a ON t (a); DROP INDEX t_a;', 'drop-index-nonconcurrent');
});
