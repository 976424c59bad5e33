import t from 'tap';
import { ok, violations } from '../helpers.js';

t.test('cluster: a table, or every clustered table', async (t) => {
  t.same(violations('CLUSTER orders USING orders_customer_id_idx;', 'cluster'), ['cluster@1 public.orders']);
  t.same(violations('CLUSTER;', 'cluster'), ['cluster@1']);
});

t.test('cluster: a table this migration created', async (t) => {
  ok(t, 'CREATE TABLE t (a int PRIMARY KEY); CLUSTER t USING t_pkey;', 'cluster');
});
