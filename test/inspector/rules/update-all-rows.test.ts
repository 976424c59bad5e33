import t from 'tap';
import { ok, only, violations } from '../helpers.js';

t.test('update-all-rows: constants and NULL over every row', async (t) => {
  t.same(violations('UPDATE customers SET phone = NULL, status = DEFAULT, email = lower(email);', 'update-all-rows'), ['update-all-rows@1 public.customers.phone public.customers.status']);
  t.same(violations("UPDATE orders SET (note, total) = ('x', 0) WHERE true;", 'update-all-rows'), ['update-all-rows@1 public.orders.note public.orders.total']);
  t.match(only('UPDATE customers SET phone = NULL;', 'update-all-rows').message, /overwrites public\.customers\.phone in every row/);
  t.same(violations('UPDATE customers SET phone = $1;', 'update-all-rows'), ['update-all-rows@1 public.customers.phone'], 'a bind parameter is one value for every row');
});

t.test('update-all-rows: a WHERE blind to the row (WHERE $1) is every row or none', async (t) => {
  t.same(violations('UPDATE customers SET phone = NULL WHERE $1;', 'update-all-rows'), ['update-all-rows@1 public.customers.phone']);
  t.match(only('UPDATE customers SET phone = $2 WHERE 1 = $1;', 'update-all-rows').message, /in every row \(its WHERE never looks at the row: every row or none\)/);
  ok(t, 'UPDATE customers SET phone = NULL WHERE id = $1;', 'update-all-rows');
  ok(t, 'UPDATE customers c SET phone = NULL WHERE c.id = $1;', 'update-all-rows');
  ok(t, 'UPDATE customers SET phone = NULL WHERE CURRENT OF cur;', 'update-all-rows');
  t.same(violations('UPDATE customers SET phone = NULL FROM orders o WHERE o.id = $1;', 'update-all-rows'), ['update-all-rows@1 public.customers.phone'], 'only another table looked at');
});

t.test('update-all-rows: restricted, row-dependent or a new column', async (t) => {
  ok(t, "UPDATE customers SET status = 'x' WHERE id = 1;", 'update-all-rows');
  ok(t, 'UPDATE customers SET email = lower(email);', 'update-all-rows');
  ok(t, 'UPDATE orders o SET note = c.name FROM customers c WHERE c.id = o.customer_id;', 'update-all-rows');
  ok(t, "ALTER TABLE customers ADD COLUMN tier text; UPDATE customers SET tier = 'free';", 'update-all-rows');
});
