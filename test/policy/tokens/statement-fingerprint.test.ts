import t from 'tap';
import { parseSync } from 'libpg-query';
import { loadInspector } from '../../../src/inspector/index.js';
import { scriptFingerprints, statementFingerprint } from '../../../src/policy/tokens/index.js';

t.before(loadInspector);

const nodes = (sql: string) => (parseSync(sql).stmts ?? []).map((s) => s.stmt);
const fp = (sql: string) => statementFingerprint(nodes(sql)[0]);

t.test('a statement has the same fingerprint alone and anywhere in a script (positions are not meaning)', async (t) => {
  const alone = fp('ALTER TABLE customers DROP COLUMN phone');
  const script = 'SET lock_timeout = 1000;\n\n-- step 2\nALTER TABLE customers DROP COLUMN phone;\nALTER TABLE customers ADD COLUMN phone text;';
  t.equal(statementFingerprint(nodes(script)[1]), alone);
  t.same(scriptFingerprints(script), nodes(script).map(statementFingerprint), 'one per statement, in order');
  t.match(alone, /^[A-Za-z0-9_-]{43}$/, 'sha256, base64url');
});

t.test('spelling that does not change the statement does not change the fingerprint', async (t) => {
  const base = fp("UPDATE customers SET phone = NULL WHERE region = 'eu'");
  t.equal(fp("update CUSTOMERS set PHONE = null where REGION = 'eu'"), base, 'keyword and unquoted identifier case');
  t.equal(fp("UPDATE customers /* why */ SET phone = NULL\n\tWHERE region = 'eu' -- only eu\n"), base, 'comments and whitespace');
  t.equal(fp("UPDATE customers SET phone = NULL WHERE region = E'eu'"), base, 'the same string value');
});

t.test('anything that changes what runs changes the fingerprint', async (t) => {
  const base = fp("UPDATE customers SET phone = NULL WHERE region = 'eu'");
  const variants: Array<[string, string]> = [
    ['another literal', "UPDATE customers SET phone = NULL WHERE region = 'us'"],
    ['a literal of another case', "UPDATE customers SET phone = NULL WHERE region = 'EU'"],
    ['another column', "UPDATE customers SET email = NULL WHERE region = 'eu'"],
    ['another table', "UPDATE clients SET phone = NULL WHERE region = 'eu'"],
    ['a schema-qualified table', "UPDATE app.customers SET phone = NULL WHERE region = 'eu'"],
    ['a quoted upper-case identifier', "UPDATE \"Customers\" SET phone = NULL WHERE region = 'eu'"],
    ['no WHERE', 'UPDATE customers SET phone = NULL'],
    ['another operator', "UPDATE customers SET phone = NULL WHERE region <> 'eu'"],
  ];
  for (const [what, sql] of variants) t.not(fp(sql), base, what);
  t.not(fp('SELECT 1'), fp("SELECT '1'"), 'a number is not a string');
  t.not(fp('TRUNCATE events CASCADE'), fp('TRUNCATE events'), 'CASCADE');
  t.not(fp('DROP TABLE IF EXISTS events'), fp('DROP TABLE events'), 'IF EXISTS');
  t.not(fp('DROP TABLE a, b'), fp('DROP TABLE b, a'), 'order of targets');
});

t.test('transaction control is not signed: a plan covers what runs inside it', async (t) => {
  const inner = ['DROP TABLE old_events', 'DELETE FROM sessions'];
  const wrapped = `BEGIN; SAVEPOINT s; ${inner[0]}; RELEASE SAVEPOINT s; ${inner[1]}; COMMIT;`;
  t.same(scriptFingerprints(wrapped), inner.map(fp));
  t.same(scriptFingerprints(`START TRANSACTION ISOLATION LEVEL SERIALIZABLE; ${inner[0]}; ROLLBACK;`), [fp(inner[0])]);
  t.same(scriptFingerprints(''), [], 'an empty script has none');
  t.throws(() => scriptFingerprints('DROP TABLE'), 'a script that does not parse is an error, never a partial plan');
});
