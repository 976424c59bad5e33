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
  for (const where of ['$1', '$1 = $2', '1 = $1', "current_setting('app.purge') = 'yes'", 'now() > $1::timestamptz', 'sku = $1 OR $2', '$1 OR id = 3']) {
    t.same(violations(`DELETE FROM order_items WHERE ${where};`, 'delete-all-rows'), ['delete-all-rows@1 public.order_items'], where);
  }
  t.match(only('DELETE FROM order_items WHERE $1;', 'delete-all-rows').message, /never looks at the row .* so it destroys every row of public\.order_items \(or none\)/);
  for (const where of ['id = $1', 'id = ANY($1)', 'false', 'false OR id = $1', 'EXISTS (SELECT 1 FROM orders o WHERE o.id = order_items.order_id AND $1)', 'random() < 0.01', 'CURRENT OF c', 'order_items.id = $1']) {
    ok(t, `DELETE FROM order_items WHERE ${where};`, 'delete-all-rows');
  }
  // Another table's columns do not look at the target's rows: every row of order_items goes when one order matches.
  t.same(violations('DELETE FROM order_items USING orders o WHERE o.id = $1;', 'delete-all-rows'), ['delete-all-rows@1 public.order_items']);
  ok(t, 'DELETE FROM order_items i USING orders o WHERE o.id = i.order_id AND o.id = $1;', 'delete-all-rows');
  ok(t, 'DELETE FROM order_items AS i WHERE i.id = $1;', 'delete-all-rows');
});

t.test('delete-all-rows: restricted deletes', async (t) => {
  for (const where of ['id = 1', 'quantity > 1', 'sku IS NULL', '1 = 2 OR id = 3', 'false OR id = 3', 'true AND id = 3']) {
    ok(t, `DELETE FROM order_items WHERE ${where};`, 'delete-all-rows');
  }
  ok(t, 'CREATE TABLE staging (a int); DELETE FROM staging;', 'delete-all-rows');
  ok(t, 'DELETE FROM no_such_table;', 'delete-all-rows');
});
