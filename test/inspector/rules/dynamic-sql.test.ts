import t from 'tap';
import { ok, only, violations } from '../helpers.js';

t.test('dynamic-sql: an EXECUTE that cannot be resolved', async (t) => {
  const sql = "DO $$\nDECLARE t text;\nBEGIN\n  SELECT tablename INTO t FROM pg_tables LIMIT 1;\n  EXECUTE 'TRUNCATE ' || t;\nEND $$;";
  t.same(violations(sql, 'dynamic-sql'), ['dynamic-sql@5']);
  t.match(only(sql, 'dynamic-sql').message, /cannot see what this runs/);
});

t.test('dynamic-sql: a DO block in a language tripwire cannot read', async (t) => {
  t.same(violations("DO LANGUAGE plpython3u $$ plpy.execute('DROP TABLE x') $$;", 'dynamic-sql'), ['dynamic-sql@1']);
});

t.test('dynamic-sql: constant strings are resolved and judged instead', async (t) => {
  const sql = "DO $$\nDECLARE\n  a text := 'audit';\n  b text;\nBEGIN\n  b := '_log';\n  EXECUTE format('DROP TABLE %s', a || b);\nEND $$;";
  ok(t, sql, 'dynamic-sql');
  t.same(violations(sql, 'drop-table'), ['drop-table@7 public.audit_log']);
  ok(t, "DO $$ BEGIN EXECUTE concat('SELECT ', quote_literal('x')); END $$;", 'dynamic-sql');
});
