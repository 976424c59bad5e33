/**
 * The native relay's filter inside the enforcing proxy: harmless statements pass without a call
 * into JavaScript, and the filter follows the catalog, so a routine created through the proxy is
 * never called on the fast path, not even from a session that was already relaying natively.
 */
import t from 'tap';
import pg from 'pg';
import { direct, freshDatabase } from '../harness/env.js';
import { startEnforcingProxy } from '../harness/enforcing-proxy.js';
import { loadNativeRelay } from '../../src/proxy/native-relay.js';

const nativeBuilt = loadNativeRelay().ok;

t.test('harmless statements pass in C; a routine created meanwhile is judged in every session', { skip: nativeBuilt ? false : 'the native relay is not built' }, async (t) => {
  const db = await freshDatabase(t);
  await direct(db, `CREATE TABLE customers (id int PRIMARY KEY, phone text);
    INSERT INTO customers SELECT g, '555-' || g FROM generate_series(1, 50) g; ANALYZE customers`);
  const proxy = await startEnforcingProxy(t);
  const early = new pg.Client({ connectionString: proxy.url(db) });
  const author = new pg.Client({ connectionString: proxy.url(db) });
  await early.connect();
  await author.connect();
  t.teardown(() => Promise.all([early.end(), author.end()]));

  await author.query('SELECT 1');
  for (let i = 0; i < 20; i++) {
    t.same((await early.query(`SELECT count(*)::int AS n FROM customers WHERE id > ${i}`)).rows, [{ n: 50 - i }]);
  }
  const status = proxy.server.relayStatus();
  t.equal(status.nativeSessions, 2, 'both sessions are on the native relay');
  t.ok(status.nativelyPassed >= 19, `the filter passed the harmless reads without the judge (${status.nativelyPassed})`);

  // A DBA adds a routine on the server directly; DDL through the proxy makes tripwire re-read the catalog.
  await direct(db, "CREATE FUNCTION wipe() RETURNS void LANGUAGE sql AS 'DELETE FROM customers'");
  await author.query('CREATE TABLE notes (body text)');
  for (let i = 0; i < 200 && !proxy.stack.catalogs.current(db)?.routines.has('wipe'); i++) await new Promise((r) => setTimeout(r, 25));
  t.ok(proxy.stack.catalogs.current(db)?.routines.has('wipe'), 'the catalog was read again after the DDL');
  const before = proxy.server.relayStatus().nativelyPassed;
  for (const [name, c] of [['the author', author], ['a session relaying natively all along', early]] as const) {
    await t.rejects(c.query('SELECT wipe()'), { code: 'TW001' }, `${name}: a call to the new routine is held`);
    await t.rejects(c.query('select WIPE ( )'), { code: 'TW001' }, `${name}: however it is spelled`);
  }
  t.equal(proxy.server.relayStatus().nativelyPassed, before, 'none of the calls took the fast path');
  t.same(await direct(db, 'SELECT count(*)::int AS n FROM customers'), [{ n: 50 }], 'no row was deleted');
  for (let i = 0; i < 3; i++) t.same((await early.query('SELECT count(*)::int AS n FROM customers')).rows, [{ n: 50 }], 'and plain reads still pass');
  // The first statement after a hold comes through the JavaScript relay, which then hands over again.
  t.ok(proxy.server.relayStatus().nativelyPassed > before, 'on the fast path again');
});
