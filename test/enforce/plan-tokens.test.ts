import t from 'tap';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { direct, freshDatabase, serverUrl } from '../harness/env.js';
import { startEnforcingProxy } from '../harness/enforcing-proxy.js';
import { liveFingerprint, signFor, testKeys } from '../harness/plan-keys.js';
import { loadInspector } from '../../src/inspector/index.js';

const MIGRATION = 'ALTER TABLE customers DROP COLUMN phone;\nALTER TABLE customers ADD COLUMN phone text;';

async function populated(t: Parameters<typeof freshDatabase>[0]): Promise<string> {
  const db = await freshDatabase(t);
  await direct(db, `CREATE TABLE customers (id int PRIMARY KEY, phone text);
    INSERT INTO customers SELECT g, '555-' || g FROM generate_series(1, 10000) g;
    CREATE TABLE events (id int); INSERT INTO events SELECT generate_series(1, 100); ANALYZE;`);
  return db;
}

async function attempt(url: string, sql: string, setFirst?: string): Promise<{ code?: string; message?: string } | null> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    if (setFirst) await c.query(`SET tripwire.plan = '${setFirst}'`);
    await c.query(sql);
    return null;
  } catch (err) {
    return err as { code?: string; message?: string };
  } finally {
    await c.end();
  }
}

t.before(loadInspector);

t.test('the planned migration passes with a valid token in the connection string', async (t) => {
  const db = await populated(t);
  const keys = await testKeys(t);
  const proxy = await startEnforcingProxy(t, { tokens: keys.tokens });
  const token = await signFor(keys, db, MIGRATION);
  t.match(await attempt(proxy.url(db), MIGRATION), { code: 'TW001' }, 'without the token it is held');
  const err = await attempt(proxy.url(db, `-c tripwire.plan=${token}`), MIGRATION);
  t.equal(err, null, 'it ran');
  t.same(await direct(db, 'SELECT count(phone)::int AS n FROM customers'), [{ n: 0 }], 'exactly what was planned happened');
  t.match(proxy.audit().at(-1), { event: 'allowed-by-token', rules: ['rename-as-drop'] });
  t.type(proxy.audit().at(-1)?.tokenId, 'string');
});

t.test('SET tripwire.plan works too, and the token never reaches the server', async (t) => {
  const db = await populated(t);
  const keys = await testKeys(t);
  const proxy = await startEnforcingProxy(t, { tokens: keys.tokens });
  const token = await signFor(keys, db, 'TRUNCATE events');
  const c = new pg.Client({ connectionString: proxy.url(db) });
  await c.connect();
  t.teardown(() => c.end());
  const set = await c.query(`SET tripwire.plan = '${token}'`);
  t.equal(set.command, 'SET');
  t.same((await c.query('SHOW tripwire.plan')).rows, [{ 'tripwire.plan': 'presented' }], 'the server never saw the token');
  await c.query('TRUNCATE events');
  t.same(await direct(db, 'SELECT count(*)::int AS n FROM events'), [{ n: 0 }]);
});

t.test('each kind of bad token is refused with its own reason', async (t) => {
  const db = await populated(t);
  const keys = await testKeys(t);
  const stranger = await testKeys(t);
  const proxy = await startEnforcingProxy(t, { tokens: keys.tokens });
  const url = proxy.url(db);
  const cases: Array<[string, Promise<string>, string, RegExp]> = [
    ['signed by an untrusted key', signFor(keys, db, MIGRATION, { signedBy: stranger.privateKey }), 'TW002', /not valid .*no configured public key/],
    ['expired', signFor(keys, db, MIGRATION, { ttlSeconds: -60 }), 'TW003', /expired at/],
    ['for another database', signFor(keys, db, MIGRATION).then(() => signFor(keys, 'postgres', MIGRATION, { schema: 'x' })), 'TW004', /is for database postgres, not tw_/],
    ['for another statement', signFor(keys, db, 'ALTER TABLE customers DROP COLUMN id'), 'TW005', /does not cover this statement/],
    ['stale: the schema moved since the plan', signFor(keys, db, MIGRATION, { schema: 'an-older-fingerprint' }), 'TW007', /stale: the live schema changed since it was planned; rebase/],
    ['tampered with', signFor(keys, db, MIGRATION).then((tok) => tok.slice(0, -4) + (tok.endsWith('AAAA') ? 'BBBB' : 'AAAA')), 'TW002', /not valid/],
  ];
  for (const [name, tokenPromise, code, message] of cases) {
    const err = await attempt(url, MIGRATION, await tokenPromise);
    t.equal(err?.code, code, `${name}: ${code}`);
    t.match(err?.message ?? '', /tripwire held/, `${name}: still held`);
    t.match((err as { detail?: string })?.detail ?? '', message, `${name}: says why`);
  }
  t.same(await direct(db, 'SELECT count(phone)::int AS n FROM customers'), [{ n: 10000 }], 'nothing ran');
});

t.test('a token is used up when its statement commits; a failed attempt may be retried', async (t) => {
  const db = await populated(t);
  const keys = await testKeys(t);
  const proxy = await startEnforcingProxy(t, { tokens: keys.tokens });
  const token = await signFor(keys, db, 'TRUNCATE events');
  const url = proxy.url(db, `-c tripwire.plan=${token}`);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  t.teardown(() => c.end());
  await c.query('BEGIN');
  await c.query('TRUNCATE events');
  await c.query('ROLLBACK');
  t.same(await direct(db, 'SELECT count(*)::int AS n FROM events'), [{ n: 100 }], 'rolled back: nothing used');
  await c.query('TRUNCATE events');
  await direct(db, 'INSERT INTO events SELECT generate_series(1, 100); ANALYZE events');
  await t.rejects(c.query('TRUNCATE events'), { code: 'TW006', detail: /already used/ });
  t.same(await direct(db, 'SELECT count(*)::int AS n FROM events'), [{ n: 100 }]);
});

t.test('tripwire plan keygen and plan sign from the CLI make a token the proxy accepts', async (t) => {
  const db = await populated(t);
  const keys = await testKeys(t);
  const bin = new URL('../../dist/cli/main.js', import.meta.url).pathname;
  const run = promisify(execFile);
  const out = await run(process.execPath, [bin, 'plan', 'keygen', '--out', keys.dir]);
  t.match(out.stdout, /private key: .*tripwire-plan\.key/);
  const { readPublicKeys } = await import('../../src/policy/tokens/index.js');
  const { planTokenGate } = await import('../../src/enforce/token-gate.js');
  const proxy = await startEnforcingProxy(t, { tokens: planTokenGate(await readPublicKeys(`${keys.dir}/tripwire-plan.pub.pem`)) });
  const { writeFileSync } = await import('node:fs');
  writeFileSync(`${keys.dir}/m.sql`, 'TRUNCATE events;\n');
  const signed = await run(process.execPath, [bin, 'plan', 'sign', '--database', db, '--key', `${keys.dir}/tripwire-plan.key`, '--upstream', serverUrl(), `${keys.dir}/m.sql`]);
  const token = signed.stdout.trim();
  t.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  t.equal(await liveFingerprint(db).then((fp) => fp.length > 10), true);
  t.equal(await attempt(proxy.url(db, `-c tripwire.plan=${token}`), 'TRUNCATE events'), null, 'the CLI token is accepted');
});
