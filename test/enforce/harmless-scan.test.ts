import t from 'tap';
import { provablyHarmless } from '../../src/enforce/harmless-scan.js';

const none = new Set<string>();

t.test('proves everyday reads and writes harmless', async (t) => {
  for (const sql of [
    'SELECT abalance FROM pgbench_accounts WHERE aid = 42',
    'select * from customers where email = $1',
    "INSERT INTO orders (customer_id, total_cents) VALUES (7, 1200) RETURNING id",
    "SELECT 'drop table customers' AS text_only -- DROP in a comment",
    "SELECT $body$ DELETE FROM customers $body$",
    "SELECT /* truncate */ 1",
    'SELECT "drop" FROM t',
    "SELECT 'it''s' AS s",
  ]) {
    t.ok(provablyHarmless(sql, none), sql);
  }
});

t.test('never proves anything that can change schema or data, however it is disguised', async (t) => {
  for (const sql of [
    'DROP TABLE customers',
    'ALTER TABLE customers DROP COLUMN phone',
    "SELECT 1; DELETE FROM customers",
    "SELECT '--'; DROP TABLE films;",
    'WITH gone AS (DELETE FROM customers RETURNING *) SELECT count(*) FROM gone',
    'UPDATE customers SET phone = NULL',
    'TrUnCaTe customers',
    'DO $$ BEGIN EXECUTE \'drop table x\'; END $$',
    'SET search_path = evil, public',
    "SELECT set_config('search_path', 'evil', false)",
    'PREPARE p AS DELETE FROM t',
    'EXECUTE p',
    'CALL wipe()',
    'BEGIN',
    'COMMIT',
    'INSERT INTO t VALUES (1) ON CONFLICT (id) DO UPDATE SET x = 1',
    'SELECT 1 FOR UPDATE',
    'SELECT U&"\\0064rop"',
    "SELECT E'\\' ; DROP TABLE t; --'",
    "SELECT 'unterminated",
    "SELECT E'\\''; DROP TABLE t; --'",
    'SELECT "a""b"; DROP TABLE t',
    'SELECT /* nested /* */ DROP */ 1',
    'SELECT $$ unterminated',
    'MERGE INTO t USING s ON true WHEN MATCHED THEN DELETE',
    'SELECT dblink_exec(\'drop table t\')',
    'select\u00a0drop',
  ]) {
    t.notOk(provablyHarmless(sql, none), sql);
  }
});

t.test('calls to known user routines are not provable (they may hide a DELETE)', async (t) => {
  const routines = new Set(['wipe', 'CamelCase']);
  t.notOk(provablyHarmless('SELECT wipe()', routines));
  t.notOk(provablyHarmless('SELECT WIPE()', routines));
  t.notOk(provablyHarmless('SELECT "CamelCase"()', routines));
  t.ok(provablyHarmless('SELECT count(*) FROM t', routines));
});
