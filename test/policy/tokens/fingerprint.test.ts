import t from 'tap';
import { parseSync } from 'libpg-query';
import { emptyCatalog, loadInspector, catalogFromSql } from '../../../src/inspector/index.js';
import { schemaFingerprint, scriptFingerprints, statementFingerprint } from '../../../src/policy/tokens/index.js';

t.before(loadInspector);

const fp = (sql: string) => statementFingerprint(parseSync(sql).stmts![0]!.stmt);

t.test('a statement fingerprint ignores whitespace, comments and keyword case', async (t) => {
  const base = fp('ALTER TABLE customers DROP COLUMN phone');
  t.equal(fp('alter table customers drop column phone'), base);
  t.equal(fp('ALTER  TABLE\n  customers /* the big one */ DROP COLUMN phone -- bye'), base);
  t.equal(fp('ALTER TABLE "customers" DROP COLUMN "phone"'), base, 'quoting a lower-case name changes nothing');
});

t.test('but never identifiers, literals or options', async (t) => {
  const base = fp('DELETE FROM customers WHERE id = 1');
  t.not(fp('DELETE FROM customers WHERE id = 2'), base, 'a literal');
  t.not(fp('DELETE FROM clients WHERE id = 1'), base, 'an identifier');
  t.not(fp('DELETE FROM "Customers" WHERE id = 1'), base, 'case inside quotes');
  t.not(fp('DROP TABLE customers CASCADE'), fp('DROP TABLE customers'), 'CASCADE');
});

t.test('a script signs every statement but transaction control', async (t) => {
  const fps = scriptFingerprints('BEGIN; ALTER TABLE customers DROP COLUMN phone; COMMIT;');
  t.same(fps, [fp('ALTER TABLE customers DROP COLUMN phone')]);
});

t.test('a schema fingerprint is stable and ignores row estimates, but not columns', async (t) => {
  const a = catalogFromSql('CREATE TABLE customers (id int, phone text);').catalog;
  const b = catalogFromSql('CREATE TABLE customers (id int, phone text);').catalog;
  t.equal(schemaFingerprint(a), schemaFingerprint(b));
  const withRows = JSON.parse(JSON.stringify(a));
  withRows.schemas.public.tables.customers.rows = 10_000;
  t.equal(schemaFingerprint(withRows), schemaFingerprint(a), 'rows do not count');
  const changed = catalogFromSql('CREATE TABLE customers (id int, phone varchar(20));').catalog;
  t.not(schemaFingerprint(changed), schemaFingerprint(a), 'a column type does');
  t.not(schemaFingerprint(emptyCatalog('complete')), schemaFingerprint(a));
});
