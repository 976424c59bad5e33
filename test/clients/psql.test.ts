/**
 * psql through the proxy prints exactly what it prints when connected directly: multi-statement -c,
 * -f with ON_ERROR_STOP (stops at the same statement, same error, same exit code), and \copy both ways.
 */
import t from 'tap';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { direct, freshDatabase, serverUrl } from '../harness/env.js';
import { startTestProxy } from '../harness/proxy.js';
import { clientEnv, psql, tableChecksum, tempDir } from './support.js';

const VERBOSE = ['-v', 'VERBOSITY=verbose'];

t.test('multi-statement -c: same stdout, stderr and exit code as direct', async (t) => {
  const db = await freshDatabase(t);
  const proxy = await startTestProxy(t);
  const cases: Record<string, string[]> = {
    'several results in one Query': [
      '-c',
      `CREATE TEMP TABLE t (a int, b text);
       INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 50) g;
       SELECT * FROM t ORDER BY a;
       UPDATE t SET b = upper(b) WHERE a % 7 = 0 RETURNING a, b;
       SELECT count(*), sum(a), string_agg(b, ',' ORDER BY a) FROM t`,
    ],
    'an error in the middle rolls back the whole string': [
      '-c',
      `CREATE TEMP TABLE t (a int); INSERT INTO t VALUES (1); SELECT 1/0; SELECT 'never'`,
      '-c',
      `SELECT count(*) FROM pg_class WHERE relname = 't' AND relpersistence = 't'`,
    ],
    'notices and several -c options': [
      '-c',
      `DO $$ BEGIN RAISE NOTICE 'hello %', 42; RAISE WARNING 'careful'; END $$; SELECT 'a' AS x, NULL AS y`,
      '-c',
      `SET application_name = 'psql-test'; SHOW application_name`,
      '-c',
      'SELECT current_setting(\'server_version_num\')::int >= 150000 AS v15',
    ],
  };
  // The client's startup parameters pass through unchanged, backslash escapes in options included.
  const startup = clientEnv({ PGAPPNAME: 'psql startup test', PGOPTIONS: '-c statement_timeout=1234 -c DateStyle=SQL,\\ DMY' });
  cases['startup parameters'] = ['-c', 'SHOW statement_timeout', '-c', 'SHOW DateStyle', '-c', 'SELECT current_setting(\'application_name\')'];
  for (const [name, args] of Object.entries(cases)) {
    const env = name === 'startup parameters' ? startup : clientEnv();
    const viaDirect = await psql(t, serverUrl(db), [...VERBOSE, ...args], '', env);
    const viaProxy = await psql(t, proxy.url(db), [...VERBOSE, ...args], '', env);
    t.not(viaDirect.stdout, '', `${name}: direct printed something`);
    t.same(viaProxy, viaDirect, name);
  }
  const shown = await psql(t, proxy.url(db), ['-At', '-c', 'SHOW statement_timeout', '-c', 'SHOW DateStyle', '-c', "SELECT current_setting('application_name')"], '', startup);
  t.equal(shown.stdout, '1234ms\nSQL, DMY\npsql startup test\n', 'the startup parameters took effect through the proxy');
});

const SCRIPT = `CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL, balance numeric(12,2));
INSERT INTO accounts SELECT g, 'owner ' || g, g * 1.5 FROM generate_series(1, 100) g;
SELECT count(*), sum(balance) FROM accounts;
BEGIN;
UPDATE accounts SET balance = balance - 10 WHERE id = 1;
INSERT INTO accounts VALUES (2, 'duplicate', 0);
UPDATE accounts SET balance = balance + 10 WHERE id = 2;
COMMIT;
CREATE TABLE never_created (id int);
`;

/** What a database holds after the script: the tables and the balance the failed transaction touched. */
async function scriptState(db: string) {
  const tables = await direct(db, `SELECT relname FROM pg_class WHERE relname IN ('accounts', 'never_created') ORDER BY 1`);
  const balance = tables.length
    ? await direct(db, 'SELECT count(*)::int AS n, sum(balance)::text AS total, min(balance)::text AS first FROM accounts')
    : [];
  return { tables, balance };
}

t.test('-f with ON_ERROR_STOP stops at the same statement with the same error and exit code', async (t) => {
  const proxy = await startTestProxy(t);
  const file = join(tempDir(t), 'script.sql');
  writeFileSync(file, SCRIPT);
  for (const extra of [[], ['--single-transaction']]) {
    const directDb = await freshDatabase(t);
    const proxyDb = await freshDatabase(t);
    const args = [...VERBOSE, '-v', 'ON_ERROR_STOP=1', ...extra, '-f', file];
    const viaDirect = await psql(t, serverUrl(directDb), args);
    const viaProxy = await psql(t, proxy.url(proxyDb), args);
    const label = extra.join(' ') || 'autocommit';
    t.equal(viaDirect.status, 3, `${label}: direct psql exits 3 (script error)`);
    t.match(viaDirect.stderr, /script\.sql:6: ERROR:  23505/, `${label}: direct stops at line 6`);
    t.same(viaProxy, viaDirect, `${label}: same stdout, stderr and exit code`);
    t.same(await scriptState(proxyDb), await scriptState(directDb), `${label}: same database state afterwards`);
  }
});

t.test('\\copy to and from files gives the same files, counts and rows as direct', async (t) => {
  const db = await freshDatabase(t);
  const proxy = await startTestProxy(t);
  const dir = tempDir(t);
  await direct(db, `
    CREATE TABLE src (id int PRIMARY KEY, label text, note text, amount numeric, at timestamptz, tags text[], doc jsonb);
    INSERT INTO src
    SELECT g, 'row ' || g || E'\\twith tab',
           CASE WHEN g % 5 = 0 THEN NULL ELSE E'line1\\nline2 \\\\ back ' || repeat('é', g % 7) END,
           g / 3.0, '2024-01-01 00:00:00+00'::timestamptz + g * interval '1 minute',
           ARRAY['a' || g, NULL], jsonb_build_object('g', g, 's', repeat('x', g % 50))
      FROM generate_series(1, 5000) g;
    CREATE TABLE dst_direct (LIKE src);
    CREATE TABLE dst_proxy (LIKE src);
    CREATE TABLE dst_bad (LIKE src)`);
  const source = await tableChecksum(db, 'src');
  t.equal(source.rows, 5000, 'the source table holds 5000 rows');

  const formats = { text: '', csv: ' WITH (FORMAT csv, HEADER)' };
  for (const [format, options] of Object.entries(formats)) {
    const out = (side: string) => join(dir, `${format}-${side}.out`);
    const copyOut = (side: string) => [...VERBOSE, '-c', `\\copy (SELECT * FROM src ORDER BY id) TO '${out(side)}'${options}`];
    const outDirect = await psql(t, serverUrl(db), copyOut('direct'));
    const outProxy = await psql(t, proxy.url(db), copyOut('proxy'));
    t.same(outDirect, { status: 0, signal: null, stdout: 'COPY 5000\n', stderr: '' }, `${format} out: direct`);
    t.same(outProxy, outDirect, `${format} out: same psql output`);
    t.ok(readFileSync(out('proxy')).equals(readFileSync(out('direct'))), `${format} out: files byte-identical`);

    const copyIn = (table: string) => [...VERBOSE, '-c', `TRUNCATE ${table}`, '-c', `\\copy ${table} FROM '${out('direct')}'${options}`];
    const inDirect = await psql(t, serverUrl(db), copyIn('dst_direct'));
    const inProxy = await psql(t, proxy.url(db), copyIn('dst_proxy'));
    t.same(inDirect.stdout, 'TRUNCATE TABLE\nCOPY 5000\n', `${format} in: direct`);
    t.same(inProxy, inDirect, `${format} in: same psql output`);
    t.same(await tableChecksum(db, 'dst_proxy'), source, `${format} in: rows equal the source`);
    t.same(await tableChecksum(db, 'dst_direct'), source, `${format} in: direct rows equal the source`);
  }

  // A bad row in the middle: the server errors while psql is still sending CopyData.
  const lines = readFileSync(join(dir, 'text-direct.out'), 'utf8').split('\n');
  lines[2999] = lines[2999]!.replace(/^3000\t/, 'oops\t');
  const bad = join(dir, 'bad.out');
  writeFileSync(bad, lines.join('\n'));
  const copyBad = [...VERBOSE, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy dst_bad FROM '${bad}'`, '-c', 'SELECT count(*) FROM dst_bad'];
  const badDirect = await psql(t, serverUrl(db), copyBad);
  const badProxy = await psql(t, proxy.url(db), copyBad);
  t.equal(badDirect.status, 1, 'bad row: direct psql exits 1');
  t.match(badDirect.stderr, /ERROR:  22P02: invalid input syntax for type integer: "oops"/, 'bad row: direct reports 22P02');
  t.same(badProxy, badDirect, 'bad row: same psql output');
  t.same(await direct(db, 'SELECT count(*)::int AS n FROM dst_bad'), [{ n: 0 }], 'bad row: nothing was copied');
  const after = await psql(t, proxy.url(db), ['-At', '-c', 'SELECT count(*) FROM dst_proxy']);
  t.same(after.stdout, '5000\n', 'the proxy still serves new sessions');
});
