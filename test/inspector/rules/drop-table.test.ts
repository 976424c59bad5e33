import t from 'tap';
import { ok, only, violations } from '../helpers.js';

t.test('drop-table: an existing table', async (t) => {
  t.same(violations('DROP TABLE audit_log;', 'drop-table'), ['drop-table@1 public.audit_log']);
  t.equal(only('DROP TABLE audit_log;', 'drop-table').message, 'DROP TABLE audit_log destroys every row of public.audit_log');
});

t.test('drop-table: CASCADE names the dependent view and foreign key', async (t) => {
  const f = only('DROP TABLE customers CASCADE;', 'drop-table');
  t.same(f.objects, ['public.customers', 'public.customer_totals']);
  t.same(f.cascade, ['view public.customer_totals', 'foreign key orders_customer_id_fkey on public.orders']);
  t.match(f.message, /CASCADE also drops view public\.customer_totals and foreign key orders_customer_id_fkey on public\.orders/);
});

t.test('drop-table: nothing to destroy', async (t) => {
  ok(t, 'DROP TABLE IF EXISTS no_such_table;', 'drop-table');
  ok(t, 'CREATE TABLE scratch (a int); DROP TABLE scratch;', 'drop-table');
  ok(t, 'DROP VIEW customer_totals;', 'drop-table');
});

t.test('drop-table: the second drop of the same table finds nothing left', async (t) => {
  t.same(violations('DROP TABLE audit_log; DROP TABLE IF EXISTS audit_log;', 'drop-table'), ['drop-table@1 public.audit_log']);
});
