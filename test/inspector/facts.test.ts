/** The statement model as the proxy sees it: kind, objects, lock, rewrite, transaction. */
import t from 'tap';
import { inspect, type StatementFacts } from '../../src/inspector/index.js';
import { CATALOG } from './helpers.js';

function facts(sql: string, mode: 'query' | 'file' = 'file'): StatementFacts[] {
  return [...inspect(sql, { catalog: CATALOG, mode }).statements];
}

function brief(s: StatementFacts) {
  return { kind: s.kind, objects: s.objects, lock: s.lock, rewritesTable: s.rewritesTable, transactional: s.transactional };
}

t.test('kind, objects and the strongest lock', async (t) => {
  const [drop, index, cic, select, update] = facts(
    'ALTER TABLE customers DROP COLUMN phone;\nCREATE INDEX i ON orders (total);\nCREATE INDEX CONCURRENTLY j ON orders (note);\nSELECT * FROM customers c JOIN orders o ON o.customer_id = c.id;\nUPDATE orders SET note = 1 WHERE id IN (SELECT id FROM order_items);',
  );
  t.same(brief(drop!), { kind: 'ALTER TABLE', objects: ['public.customers.phone', 'public.customers'], lock: 'ACCESS EXCLUSIVE', rewritesTable: false, transactional: true });
  t.same(brief(index!), { kind: 'CREATE INDEX', objects: ['public.orders'], lock: 'SHARE', rewritesTable: false, transactional: true });
  t.same(brief(cic!), { kind: 'CREATE INDEX', objects: ['public.orders'], lock: 'SHARE UPDATE EXCLUSIVE', rewritesTable: false, transactional: false });
  t.same(brief(select!), { kind: 'SELECT', objects: ['public.customers', 'public.orders'], lock: 'ACCESS SHARE', rewritesTable: false, transactional: true });
  t.same(update!.locks, [{ object: 'public.orders', mode: 'ROW EXCLUSIVE' }, { object: 'public.order_items', mode: 'ACCESS SHARE' }]);
});

t.test('rewrites: type changes, volatile defaults, VACUUM FULL, CLUSTER, SET LOGGED', async (t) => {
  const rewrites = facts(
    'ALTER TABLE order_items ALTER COLUMN quantity TYPE bigint;\nALTER TABLE customers ALTER COLUMN phone TYPE varchar(40);\nALTER TABLE orders ADD COLUMN t uuid DEFAULT gen_random_uuid();\nVACUUM FULL sessions;\nCLUSTER orders;\nALTER TABLE audit_log SET UNLOGGED;\nALTER TABLE orders ADD COLUMN c int DEFAULT 0;',
  ).map((s) => s.rewritesTable);
  t.same(rewrites, [true, false, true, true, true, true, false]);
});

t.test('locks per ALTER TABLE sub-command: the strongest wins', async (t) => {
  const [fk, validate, both] = facts(
    'ALTER TABLE sessions ADD FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;\nALTER TABLE sessions VALIDATE CONSTRAINT x;\nALTER TABLE sessions VALIDATE CONSTRAINT x, ADD COLUMN y int;',
  );
  t.same(fk!.locks, [{ object: 'public.customers', mode: 'SHARE ROW EXCLUSIVE' }, { object: 'public.sessions', mode: 'SHARE ROW EXCLUSIVE' }]);
  t.equal(validate!.lock, 'SHARE UPDATE EXCLUSIVE');
  t.equal(both!.lock, 'ACCESS EXCLUSIVE');
});

t.test('statements PostgreSQL refuses in a transaction block', async (t) => {
  const tx = facts('VACUUM;\nDROP INDEX CONCURRENTLY x;\nCREATE DATABASE d;\nREINDEX TABLE CONCURRENTLY orders;\nANALYZE orders;\nCLUSTER;\nBEGIN;').map((s) => s.transactional);
  t.same(tx, [false, false, false, false, true, false, true]);
});

t.test('inTransaction: explicit BEGIN, and the implicit transaction of a multi-statement query', async (t) => {
  t.same(facts('SELECT 1; BEGIN; SELECT 2; COMMIT; SELECT 3;', 'file').map((s) => s.inTransaction), [false, false, true, true, false]);
  t.same(facts('SELECT 1; SELECT 2;', 'query').map((s) => s.inTransaction), [true, true]);
  t.same(facts('SELECT 1', 'query').map((s) => s.inTransaction), [false]);
});

t.test('positions: line and column of each statement', async (t) => {
  const s = facts('SELECT 1;\n\n   -- note\n   DROP TABLE audit_log;');
  t.same(s.map((x) => [x.index, x.line, x.column, x.endLine]), [[1, 1, 1, 1], [2, 4, 4, 4]]);
});
