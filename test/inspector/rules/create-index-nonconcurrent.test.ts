import t from 'tap';
import { ok, only, violations } from '../helpers.js';

t.test('create-index-nonconcurrent: a plain CREATE INDEX on an existing table', async (t) => {
  t.same(violations('CREATE INDEX ON customers (email);', 'create-index-nonconcurrent'), ['create-index-nonconcurrent@1 public.customers']);
  t.match(only('CREATE UNIQUE INDEX i ON orders (id, total);', 'create-index-nonconcurrent').message, /^CREATE UNIQUE INDEX on public\.orders without CONCURRENTLY blocks every write/);
});

t.test('create-index-nonconcurrent: CONCURRENTLY, or a new table', async (t) => {
  ok(t, 'CREATE INDEX CONCURRENTLY ON customers (email);', 'create-index-nonconcurrent');
  ok(t, 'CREATE TABLE t (a int); CREATE INDEX ON t (a);', 'create-index-nonconcurrent');
});
