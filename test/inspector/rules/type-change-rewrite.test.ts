import t from 'tap';
import { emptyCatalog } from '../../../src/inspector/index.js';
import { ok, only, violations } from '../helpers.js';

t.test('type-change-rewrite: changes that rewrite', async (t) => {
  t.same(violations('ALTER TABLE order_items ALTER COLUMN quantity TYPE bigint;', 'type-change-rewrite'), ['type-change-rewrite@1 public.order_items.quantity']);
  t.match(only('ALTER TABLE order_items ALTER COLUMN quantity TYPE bigint;', 'type-change-rewrite').message, /\(integer → bigint\) rewrites all of public\.order_items/);
  t.match(only('ALTER TABLE widgets ALTER COLUMN w TYPE text;', 'type-change-rewrite', emptyCatalog()).message, /from a type tripwire does not know/);
});

t.test('type-change-rewrite: binary-coercible widenings', async (t) => {
  for (const change of ['phone TYPE varchar(30)', 'phone TYPE text', 'email TYPE varchar', 'balance TYPE numeric(14,2)', 'balance TYPE numeric', 'phone TYPE text USING phone::text']) {
    ok(t, `ALTER TABLE customers ALTER COLUMN ${change};`, 'type-change-rewrite');
  }
});
