import t from 'tap';
import pg from 'pg';
import { direct, freshDatabase } from '../harness/env.js';
import { startEnforcingProxy } from '../harness/enforcing-proxy.js';

/**
 * Ways people (and generators) hide a destructive statement. Each is sent through the proxy
 * against a populated table and must be held with nothing applied.
 */
const CORPUS: Array<[string, string]> = [
  ['comments inside the statement', 'ALTER /* harmless */ TABLE customers -- really\n DROP /* x */ COLUMN phone'],
  ['quoted and mixed-case identifiers', 'ALTER TABLE "public"."customers" DROP COLUMN "phone"'],
  ['upper case everything', 'ALTER TABLE PUBLIC.CUSTOMERS DROP COLUMN PHONE'],
  ['U&"" escaped identifiers', 'ALTER TABLE U&"\\0063ustomers" DROP COLUMN U&"\\0070hone"'],
  ['a DO block', 'DO $$ BEGIN ALTER TABLE customers DROP COLUMN phone; END $$'],
  ['a DO block with EXECUTE of a constant', "DO $$ BEGIN EXECUTE 'ALTER TABLE customers DROP COLUMN phone'; END $$"],
  ['a DO block with EXECUTE of a built string', "DO $$ DECLARE c text := 'pho' || 'ne'; BEGIN EXECUTE format('ALTER TABLE customers DROP COLUMN %I', c); END $$"],
  ['dollar quoting with a tag', 'DO $tw$ BEGIN DELETE FROM customers; END $tw$'],
  ['a function created then called', "CREATE FUNCTION wipe() RETURNS void LANGUAGE sql AS 'DELETE FROM customers'; SELECT wipe()"],
  ['a procedure created then called', 'CREATE PROCEDURE wipe_p() LANGUAGE plpgsql AS $$ BEGIN TRUNCATE customers; END $$; CALL wipe_p()'],
  ['PREPARE then EXECUTE', 'PREPARE zap AS DELETE FROM customers; EXECUTE zap'],
  ['a DELETE inside a CTE', 'WITH gone AS (DELETE FROM customers RETURNING id) SELECT count(*) FROM gone'],
  ['a tautological WHERE', 'DELETE FROM customers WHERE 1 = 1'],
  ['an UPDATE that wipes the column', 'UPDATE customers SET phone = NULL'],
  ['TRUNCATE', 'TRUNCATE customers'],
  ['a lossy type change (explicit truncation)', 'ALTER TABLE customers ALTER COLUMN phone TYPE varchar(3) USING phone::varchar(3)'],
  ['DROP TABLE with CASCADE', 'DROP TABLE customers CASCADE'],
  ['a multi-statement string with the destructive statement last', "SELECT 1; SELECT 'DROP'; INSERT INTO notes VALUES ('x'); DELETE FROM customers"],
  ['a string and a comment that contain DROP before the real one', "SELECT '--'; /* DROP */ DROP TABLE customers"],
  ['search_path set to reach the table another way', 'SET search_path = nowhere, public; DROP TABLE customers'],
];

t.test('the bypass corpus: every disguise is held and nothing is applied', async (t) => {
  const db = await freshDatabase(t);
  await direct(db, `CREATE TABLE customers (id int PRIMARY KEY, phone text);
    INSERT INTO customers SELECT g, '555-' || g FROM generate_series(1, 500) g;
    CREATE TABLE notes (body text); ANALYZE customers;`);
  const fingerprint = "SELECT count(*)::int AS n, md5(string_agg(id || '=' || coalesce(phone, ''), ',' ORDER BY id)) AS sum, (SELECT count(*)::int FROM notes) AS notes FROM customers";
  const before = (await direct(db, fingerprint))[0];
  const proxy = await startEnforcingProxy(t);
  const client = new pg.Client({ connectionString: proxy.url(db) });
  await client.connect();
  t.teardown(() => client.end());
  for (const [name, sql] of CORPUS) {
    const err = await client.query(sql).then(() => null, (e: { code?: string; message: string }) => e);
    t.equal(err?.code, 'TW001', `${name}: held (${err?.message ?? 'it ran!'})`);
  }
  t.same((await direct(db, fingerprint))[0], before, 'every row and value is intact (checksum), and no statement of a held Query ran');
  t.match(before, { n: 500, notes: 0 });
  t.same(await direct(db, "SELECT count(*)::int AS n FROM pg_proc WHERE proname IN ('wipe', 'wipe_p')"), [{ n: 0 }], 'held Queries created nothing either');
});
