import t from 'tap';
import { emptyCatalog } from '../../../src/inspector/index.js';
import { ok, only, violations } from '../helpers.js';

const col = (table: string, column: string, type: string) => `ALTER TABLE ${table} ALTER COLUMN ${column} TYPE ${type};`;

t.test('lossy-type-change: judged against the known type', async (t) => {
  t.same(violations(col('orders', 'total', 'integer'), 'lossy-type-change'), ['lossy-type-change@1 public.orders.total']);
  t.match(only(col('orders', 'total', 'integer'), 'lossy-type-change').message, /numeric\(10,2\) → integer rounds away the fraction/);
  t.match(only(col('orders', 'placed_at', 'date'), 'lossy-type-change').message, /drops the time of day/);
  t.match(only(col('customers', 'balance', 'numeric(12,1)'), 'lossy-type-change').message, /rounds every value to 1 decimal places/);
  t.match(only(col('customers', 'phone', 'bigint USING phone::bigint'), 'lossy-type-change').message, /keeps only what reads as a number/);
  t.match(only(col('customers', 'email', 'varchar(10) USING substr(email, 1, 10)'), 'lossy-type-change').message, /substr\(\) cuts part of every value off/);
  t.match(only(col('customers', 'email', 'varchar(10) USING email::varchar(10)'), 'lossy-type-change').message, /a cast to varchar\(n\)/);
  t.match(only(col('customers', 'status', "text USING 'x'"), 'lossy-type-change').message, /replaces every value/);
});

t.test('lossy-type-change: conversions that keep every value', async (t) => {
  ok(t, col('customers', 'phone', 'varchar(40)'), 'lossy-type-change');
  ok(t, col('customers', 'phone', 'text'), 'lossy-type-change');
  ok(t, col('orders', 'total', 'numeric(14,2)'), 'lossy-type-change');
  ok(t, col('order_items', 'quantity', 'bigint'), 'lossy-type-change');
  ok(t, col('customers', 'signed_up_at', 'timestamptz'), 'lossy-type-change');
  ok(t, col('customers', 'phone', 'varchar(10)'), 'lossy-type-change');
  ok(t, 'CREATE TABLE t (n numeric); ALTER TABLE t ALTER COLUMN n TYPE int;', 'lossy-type-change');
});

t.test('lossy-type-change: with the type unknown, only USING can show a loss', async (t) => {
  ok(t, col('widgets', 'price', 'integer'), 'lossy-type-change', emptyCatalog());
  t.same(violations(col('widgets', 'price', 'integer USING round(price)'), 'lossy-type-change', emptyCatalog()), ['lossy-type-change@1 public.widgets.price']);
});
