import t from 'tap';
import { lint, violations } from '../helpers.js';

t.test('psql-meta-command: reported and skipped, the SQL around it is judged', async (t) => {
  const sql = '\\set ON_ERROR_STOP on\nDROP TABLE audit_log;\n\\i other.sql\nSELECT 1;';
  t.same(violations(sql, 'psql-meta-command'), ['psql-meta-command@1', 'psql-meta-command@3']);
  t.same(violations(sql, 'drop-table'), ['drop-table@2 public.audit_log']);
  t.equal(lint(sql).find((f) => f.rule === 'psql-meta-command')!.severity, 'info');
});

t.test('psql-meta-command: a backslash in a string is not a meta-command', async (t) => {
  t.same(violations("SELECT E'a\\\\b', 'c\\d';", 'psql-meta-command'), []);
});
