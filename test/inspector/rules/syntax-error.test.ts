import t from 'tap';
import { only, violations } from '../helpers.js';

t.test('syntax-error: located, and the statements around it are still judged', async (t) => {
  const sql = 'SELECT 1;\nSELEC oops;\nDROP TABLE audit_log;';
  t.same(violations(sql, 'syntax-error'), ['syntax-error@2']);
  t.same(violations(sql, 'drop-table'), ['drop-table@3 public.audit_log']);
  const f = only(sql, 'syntax-error');
  t.equal(f.column, 1);
  t.match(f.message, /syntax error at or near "SELEC"/);
});

t.test('syntax-error: an error in a PL/pgSQL body', async (t) => {
  t.same(violations('DO $$ BEGIN RETURN QUERY SELECT 1; END $$;', 'syntax-error'), ['syntax-error@1']);
});
