import t from 'tap';
import { ok, violations } from '../helpers.js';

t.test('rename-table: RENAME TO and SET SCHEMA', async (t) => {
  t.same(violations('ALTER TABLE audit_log RENAME TO events;', 'rename-table'), ['rename-table@1 public.audit_log public.events']);
  t.same(violations('ALTER TABLE billing.invoices SET SCHEMA public;', 'rename-table'), ['rename-table@1 billing.invoices public.invoices']);
});

t.test('rename-table: the catalog follows the rename', async (t) => {
  t.same(violations('ALTER TABLE audit_log RENAME TO events;\nDROP TABLE events;', 'drop-table'), ['drop-table@2 public.events']);
});

t.test('rename-table: indexes, views and new tables', async (t) => {
  ok(t, 'ALTER INDEX orders_customer_id_idx RENAME TO orders_customer_idx;', 'rename-table');
  ok(t, 'CREATE TABLE t (a int); ALTER TABLE t RENAME TO u;', 'rename-table');
});
