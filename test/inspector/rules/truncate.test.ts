import t from 'tap';
import { ok, only, violations } from '../helpers.js';

t.test('truncate: every row goes', async (t) => {
  t.same(violations('TRUNCATE sessions, audit_log;', 'truncate'), ['truncate@1 public.sessions public.audit_log']);
});

t.test('truncate: CASCADE reaches referencing tables, transitively', async (t) => {
  const f = only('TRUNCATE customers CASCADE;', 'truncate');
  t.same(f.objects, ['public.customers', 'public.orders', 'public.order_items']);
  t.same(f.cascade, ['public.orders', 'public.order_items']);
  t.match(f.message, /CASCADE also empties public\.orders and public\.order_items/);
});

t.test('truncate: a table this migration created', async (t) => {
  ok(t, 'CREATE TABLE staging (a int); TRUNCATE staging;', 'truncate');
});
