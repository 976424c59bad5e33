import t from 'tap';
import { ok, violations } from '../helpers.js';

t.test('vacuum-full: named tables, or the whole database', async (t) => {
  t.same(violations('VACUUM (FULL, ANALYZE) audit_log, sessions;', 'vacuum-full'), ['vacuum-full@1 public.audit_log public.sessions']);
  t.same(violations('VACUUM FULL;', 'vacuum-full'), ['vacuum-full@1']);
});

t.test('vacuum-full: plain VACUUM', async (t) => {
  ok(t, 'VACUUM audit_log;', 'vacuum-full');
  ok(t, 'VACUUM (ANALYZE) audit_log;', 'vacuum-full');
});
