import t from 'tap';
import { ok, violations } from '../helpers.js';

t.test('drop-sequence: an existing sequence', async (t) => {
  t.same(violations('DROP SEQUENCE invoice_numbers;', 'drop-sequence'), ['drop-sequence@1 public.invoice_numbers']);
});

t.test('drop-sequence: one that does not exist', async (t) => {
  ok(t, 'DROP SEQUENCE IF EXISTS order_numbers;', 'drop-sequence');
});
