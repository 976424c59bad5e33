import t from 'tap';
import { ok, only, violations } from '../helpers.js';

t.test('table-recreated: replaces the drop-table finding, at the DROP', async (t) => {
  const sql = 'DROP TABLE sessions;\nCREATE TABLE sessions (id uuid PRIMARY KEY);';
  t.same(violations(sql, 'table-recreated'), ['table-recreated@1 public.sessions']);
  ok(t, sql, 'drop-table');
  t.match(only(sql, 'table-recreated').message, /recreates public\.sessions empty/);
});

t.test('table-recreated: a new table of another name, or a scratch table, is not a re-creation', async (t) => {
  ok(t, 'DROP TABLE sessions;\nCREATE TABLE sessions_v2 (id uuid);', 'table-recreated');
  ok(t, 'CREATE TABLE s (a int); DROP TABLE s; CREATE TABLE s (a int);', 'table-recreated');
});
