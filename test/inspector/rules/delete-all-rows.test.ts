import t from 'tap';
import { ok, violations } from '../helpers.js';

t.test('delete-all-rows: no WHERE, or one that is always true', async (t) => {
  t.same(violations('DELETE FROM sessions;', 'delete-all-rows'), ['delete-all-rows@1 public.sessions']);
  for (const where of ['true', '1 = 1', "'a' = 'a'", 'NOT false', 'quantity > 1 OR true', 'id = id', 'sku IS NULL OR sku IS NOT NULL', 'id IS NOT NULL', "'t'::boolean", 'true IS TRUE']) {
    t.same(violations(`DELETE FROM order_items WHERE ${where};`, 'delete-all-rows'), ['delete-all-rows@1 public.order_items'], where);
  }
});

t.test('delete-all-rows: in a WITH, on the line of the DELETE', async (t) => {
  t.same(violations('WITH d AS (\n  DELETE FROM audit_log RETURNING *\n) SELECT 1;', 'delete-all-rows'), ['delete-all-rows@2 public.audit_log']);
});

t.test('delete-all-rows: restricted deletes', async (t) => {
  for (const where of ['id = 1', 'quantity > 1', 'sku IS NULL', '1 = 2 OR id = 3', 'false OR id = 3', 'true AND id = 3']) {
    ok(t, `DELETE FROM order_items WHERE ${where};`, 'delete-all-rows');
  }
  ok(t, 'CREATE TABLE staging (a int); DELETE FROM staging;', 'delete-all-rows');
  ok(t, 'DELETE FROM no_such_table;', 'delete-all-rows');
});
