import t from 'tap';
import { ok, only, violations } from '../helpers.js';

t.test('delete-all-rows: no WHERE, or one that is always true', async (t) => {
  t.same(violations('DELETE FROM sessions;', 'delete-all-rows'), ['delete-all-rows@1 public.sessions']);
  for (const where of ['true', '1 = 1', "'a' = 'a'", 'NOT false', 'quantity > 1 OR true', 'id = id', 'sku IS NULL OR sku IS NOT NULL', 'id IS NOT NULL', "'t'::boolean", 'true IS TRUE']) {
    t.same(violations(`DELETE FROM order_items WHERE ${where};`, 'delete-all-rows'), ['delete-all-rows@1 public.order_items'], where);
  }
});

t.test('delete-all-rows: in a WITH, on the line of the DELETE', async (t) => {
  t.same(violations('WITH d AS (\n  DELETE FROM audit_log RETURNING *\n) SELECT 1;', 'delete-all-rows'), ['delete-all-rows@2 public.audit_log']);
});

t.test('delete-all-rows: a WHERE blind to the row takes every row or none, so it is held before the values are bound', async (t) => {
  for (const where of ['$1', '$1 = $2', '1 = $1', "current_setting('app.purge') = 'yes'", 'now() > $1::timestamptz']) {
    t.same(violations(`DELETE FROM order_items WHERE ${where};`, 'delete-all-rows'), ['delete-all-rows@1 public.order_items'], where);
  }
  t.match(only('DELETE FROM order_items WHERE $1;', 'delete-all-rows').message, /never looks at the row .* so it destroys every row of public\.order_items \(or none\)/);
  for (const where of ['id = $1', 'id = ANY($1)', 'sku = $1 OR $2', 'false', 'EXISTS (SELECT 1 FROM orders o WHERE o.id = order_items.order_id AND $1)']) {
    ok(t, `DELETE FROM order_items WHERE ${where};`, 'delete-all-rows');
  }
});

t.test('delete-all-rows: restricted deletes', async (t) => {
  for (const where of ['id = 1', 'quantity > 1', 'sku IS NULL', '1 = 2 OR id = 3', 'false OR id = 3', 'true AND id = 3']) {
    ok(t, `DELETE FROM order_items WHERE ${where};`, 'delete-all-rows');
  }
  ok(t, 'CREATE TABLE staging (a int); DELETE FROM staging;', 'delete-all-rows');
  ok(t, 'DELETE FROM no_such_table;', 'delete-all-rows');
});
