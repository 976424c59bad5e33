/** What carries over between inspect calls, as the proxy will use it: one call per Query. */
import t from 'tap';
import { inspect, initialState, type InspectorState } from '../../src/inspector/index.js';
import { CATALOG } from './helpers.js';

function session() {
  let state: InspectorState = initialState(CATALOG);
  return (sql: string) => {
    const r = inspect(sql, { state });
    state = r.state;
    return { rules: r.findings.map((f) => `${f.rule} ${f.objects.join(' ')}`), state };
  };
}

t.test('DROP and ADD in separate calls inside one transaction: rename-as-drop at the ADD', async (t) => {
  const run = session();
  t.same(run('BEGIN').rules, []);
  t.same(run('ALTER TABLE customers DROP COLUMN phone').rules, ['drop-column public.customers.phone', 'missing-lock-timeout public.customers']);
  t.same(run('ALTER TABLE customers ADD COLUMN phone varchar(20)').rules, ['rename-as-drop public.customers.phone']);
  t.same(run('COMMIT').rules, []);
});

t.test('outside a transaction each call is its own migration', async (t) => {
  const run = session();
  t.same(run('ALTER TABLE customers DROP COLUMN phone').rules, ['drop-column public.customers.phone', 'missing-lock-timeout public.customers']);
  t.same(run('ALTER TABLE customers ADD COLUMN phone varchar(20)').rules, ['missing-lock-timeout public.customers'], 'no rename-as-drop: the drop was committed on its own');
});

t.test('ROLLBACK restores the catalog and ends the migration', async (t) => {
  const run = session();
  run('BEGIN');
  run('DROP TABLE audit_log');
  t.same(run('ROLLBACK').state.transaction, null);
  t.same(run('DROP TABLE audit_log').rules, ['drop-table public.audit_log', 'missing-lock-timeout public.audit_log'], 'the table is back');
});

t.test('ROLLBACK TO SAVEPOINT restores what the savepoint saw', async (t) => {
  const run = session();
  run("BEGIN; SET LOCAL lock_timeout = '1s'; SAVEPOINT a");
  run('CREATE TABLE scratch (x int)');
  run('ROLLBACK TO SAVEPOINT a');
  t.same(run('DROP TABLE IF EXISTS scratch').rules, [], 'scratch no longer exists');
  t.equal(run('RELEASE a').state.transaction?.savepoints.length, 0);
});

t.test('SET search_path carries over', async (t) => {
  const run = session();
  run('SET search_path TO billing');
  t.same(run('TRUNCATE invoices').rules, ['truncate billing.invoices', 'missing-lock-timeout billing.invoices']);
  t.same(run('RESET search_path').state.searchPath, ['$user', 'public']);
});

t.test('a statement PREPAREd in one call is judged when EXECUTEd in another', async (t) => {
  const run = session();
  t.same(run('PREPARE wipe AS DELETE FROM sessions').rules, []);
  t.same(run('EXECUTE wipe').rules, ['delete-all-rows public.sessions']);
  run('DEALLOCATE wipe');
  t.same(run('EXECUTE wipe').rules, [], 'gone after DEALLOCATE');
});

t.test('a function created in one call is judged by its body when called in another', async (t) => {
  const run = session();
  run("CREATE FUNCTION wipe(t text) RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'TRUNCATE ' || quote_ident(t); END $$");
  t.same(run("SELECT wipe('order_items')").rules, ['truncate public.order_items', 'missing-lock-timeout public.order_items']);
  t.same(run('CALL nothing_known()').rules, []);
});

t.test('the state is plain data: a JSON round trip judges the same', async (t) => {
  const first = inspect("BEGIN; SET search_path TO billing; PREPARE p AS DELETE FROM payments; ALTER TABLE invoices DROP COLUMN amount", { catalog: CATALOG });
  const copy = JSON.parse(JSON.stringify(first.state)) as InspectorState;
  t.same(copy, first.state);
  const next = 'ALTER TABLE invoices ADD COLUMN amount numeric(10,2); EXECUTE p';
  const a = inspect(next, { state: first.state });
  const b = inspect(next, { state: copy });
  t.same(b.findings, a.findings);
  t.same(a.findings.map((f) => f.rule), ['rename-as-drop', 'delete-all-rows']);
});

t.test('inspect never changes the state it was given', async (t) => {
  const state = initialState(CATALOG);
  const before = JSON.stringify(state);
  inspect('DROP TABLE customers CASCADE; ALTER TABLE orders DROP COLUMN note; CREATE TABLE x (a int); SET search_path = billing', { state });
  t.equal(JSON.stringify(state), before);
  t.equal(JSON.stringify(CATALOG), JSON.stringify(initialState(CATALOG).catalog));
});

t.test('a table named like an Object.prototype key is just a table', async (t) => {
  const r = inspect('CREATE TABLE "constructor" (a int); CREATE TABLE "__proto__" (b int); ALTER TABLE "__proto__" DROP COLUMN b', { catalog: CATALOG, mode: 'file' });
  t.same(r.findings, []);
  const copy = JSON.parse(JSON.stringify(r.state)) as InspectorState;
  t.same(inspect('DROP TABLE "__proto__"; DROP TABLE "constructor"', { state: { ...copy, migration: { ...copy.migration, created: [] } } }).findings.map((f) => f.objects[0]).filter((o, i, a) => a.indexOf(o) === i), ['public.__proto__', 'public.constructor']);
});

t.test('a state that is not what the inspector expects holds the statement instead of throwing', async (t) => {
  const broken = { ...initialState(CATALOG), catalog: { completeness: 'complete', schemas: null } } as unknown as InspectorState;
  const r = inspect('SELECT 1; ALTER TABLE customers DROP COLUMN phone', { state: broken });
  t.same(r.findings.map((f) => [f.rule, f.severity, f.statement]), [['inspector-error', 'block', 2]]);
  t.same(r.statements.map((s) => s.kind), ['SELECT', '(not judged)']);
});
