import t from 'tap';
import pg from 'pg';
import { readCatalog } from '../../../src/catalog/read-catalog.js';
import { catalogFromSql, loadInspector, type Catalog } from '../../../src/inspector/index.js';
import { schemaFingerprint } from '../../../src/policy/tokens/index.js';

t.before(loadInspector);

const BASE = `
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL UNIQUE, phone varchar(20), mood mood);
CREATE TABLE orders (id serial PRIMARY KEY, customer_id int REFERENCES customers (id), total numeric(10,2) CHECK (total >= 0));
CREATE INDEX orders_customer ON orders (customer_id);
CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100;`;

function catalog(sql: string): Catalog {
  const { catalog, error } = catalogFromSql(sql);
  if (error) throw new Error(`schema does not parse: ${error.message}`);
  return catalog;
}

const fp = (sql: string) => schemaFingerprint(catalog(sql));

/** The same data with every object's keys in reverse order, at every depth. */
function reversedKeys(value: unknown, isColumns = false): unknown {
  if (Array.isArray(value)) return value.map((v) => reversedKeys(v));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  // Column order is the table's own order (see below), so columns keep theirs.
  const order = isColumns ? keys : [...keys].reverse();
  return Object.fromEntries(order.map((k) => [k, reversedKeys((value as Record<string, unknown>)[k], k === 'columns' && !Array.isArray((value as Record<string, unknown>)[k]))]));
}

t.test('stable: the same schema twice, and under any key order', async (t) => {
  const a = catalog(BASE);
  t.equal(schemaFingerprint(a), fp(BASE));
  t.equal(schemaFingerprint(reversedKeys(a) as Catalog), schemaFingerprint(a));
  t.equal(schemaFingerprint(JSON.parse(JSON.stringify(a))), schemaFingerprint(a), 'survives JSON');
  t.match(schemaFingerprint(a), /^[A-Za-z0-9_-]{43}$/, 'sha256, base64url');
  t.equal(fp(BASE.replace(/\n/g, '\n\n  -- a comment\n')), schemaFingerprint(a), 'spelling of the schema file does not matter');
});

t.test('not schema: row estimates and completeness', async (t) => {
  const a = catalog(BASE);
  const counted = JSON.parse(JSON.stringify(a));
  counted.schemas.public.tables.customers.rows = 10_000;
  counted.schemas.public.tables.orders.rows = 0;
  t.equal(schemaFingerprint(counted), schemaFingerprint(a), 'rows');
  t.equal(schemaFingerprint({ ...a, completeness: 'partial' }), schemaFingerprint({ ...a, completeness: 'complete' }), 'completeness');
});

t.test('schema: every change to a column, type, constraint, index, view or table changes it', async (t) => {
  const base = fp(BASE);
  const variants: Array<[string, string]> = [
    ['a column length', BASE.replace('phone varchar(20)', 'phone varchar(30)')],
    ['a column type', BASE.replace('phone varchar(20)', 'phone text')],
    ['nullability', BASE.replace('phone varchar(20)', 'phone varchar(20) NOT NULL')],
    ['a default', BASE.replace('phone varchar(20)', "phone varchar(20) DEFAULT ''")],
    ['an added column', BASE.replace('mood mood)', 'mood mood, note text)')],
    ['a dropped column', BASE.replace(', mood mood)', ')')],
    ['column order', BASE.replace('email text NOT NULL UNIQUE, phone varchar(20)', 'phone varchar(20), email text NOT NULL UNIQUE')],
    ['a renamed column', BASE.replace('phone varchar(20)', 'mobile varchar(20)')],
    ['an enum value', BASE.replace("'sad')", "'sad', 'meh')")],
    ['a unique constraint gone', BASE.replace('NOT NULL UNIQUE', 'NOT NULL')],
    ['a foreign key gone', BASE.replace(' REFERENCES customers (id)', '')],
    ['a check constraint gone', BASE.replace(' CHECK (total >= 0)', '')],
    ['a NOT VALID check constraint', BASE + '\nALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID;'],
    ['an index gone', BASE.replace('CREATE INDEX orders_customer ON orders (customer_id);', '')],
    ['an index on another column', BASE.replace('orders (customer_id)', 'orders (total)')],
    ['an index made unique', BASE.replace('CREATE INDEX', 'CREATE UNIQUE INDEX')],
    ['a view gone', BASE.replace(/CREATE VIEW[^;]+;/, '')],
    ['a materialized view', BASE.replace('CREATE VIEW', 'CREATE MATERIALIZED VIEW')],
    ['a table in another schema', BASE + '\nCREATE SCHEMA app; CREATE TABLE app.customers (id int);'],
    ['an unlogged table', BASE.replace('CREATE TABLE orders', 'CREATE UNLOGGED TABLE orders')],
  ];
  const seen = new Map<string, string>([[base, 'the base']]);
  for (const [what, sql] of variants) {
    const changed = fp(sql);
    t.not(changed, base, what);
    t.notOk(seen.has(changed), `${what} differs from every other variant too (${seen.get(changed) ?? 'yes'})`);
    seen.set(changed, what);
  }
});

t.test('a table or column that happens to be called rows still counts', async (t) => {
  t.not(fp('CREATE TABLE t (id int, rows int);'), fp('CREATE TABLE t (id int);'), 'a column named rows');
  t.not(fp('CREATE TABLE rows (id int); CREATE TABLE x (id int);'), fp('CREATE TABLE x (id int);'), 'a table named rows');
  t.not(fp('CREATE TABLE completeness (id int);'), fp(''), 'a table named completeness');
});

t.test('objects another object implies are not counted twice', async (t) => {
  const withKeyIndex = JSON.parse(JSON.stringify(catalog(BASE)));
  withKeyIndex.schemas.public.indexes.customers_pkey = { table: { schema: 'public', name: 'customers' }, unique: true, columns: ['id'] };
  withKeyIndex.schemas.public.sequences.orders_id_seq = { ownedBy: { table: { schema: 'public', name: 'orders' }, column: 'id' } };
  t.equal(schemaFingerprint(withKeyIndex), fp(BASE), 'the index behind a primary key, the sequence behind serial');
  const plain = JSON.parse(JSON.stringify(catalog(BASE)));
  plain.schemas.public.indexes.customers_by_email = { table: { schema: 'public', name: 'customers' }, unique: true, columns: ['email'] };
  plain.schemas.public.sequences.free = {};
  t.not(schemaFingerprint(plain), fp(BASE), 'an index or sequence of its own does count');
});

// With a server (`npm test` provides one): the catalog tripwire reads live and the one it builds
// from the same SQL give the same fingerprint, so `plan sign --schema FILE` matches the proxy.
const server = process.env.TRIPWIRE_TEST_DATABASE_URL;
t.test('the live catalog and the schema file agree', { skip: server ? false : 'no TRIPWIRE_TEST_DATABASE_URL' }, async (t) => {
  const { freshDatabase, serverUrl } = await import('../../harness/env.js');
  const db = await freshDatabase(t, 'tw_tokens');
  const schema = BASE + `
CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY, at timestamptz NOT NULL DEFAULT now(), payload jsonb, tags text[]);
CREATE SCHEMA app; CREATE TABLE app.items (id bigserial PRIMARY KEY, name varchar(40) NOT NULL);
CREATE UNIQUE INDEX items_lower ON app.items (lower(name));`;
  const c = new pg.Client({ connectionString: serverUrl(db) });
  await c.connect();
  try {
    await c.query(schema);
    await c.query('INSERT INTO customers (id, email) SELECT g, g::text FROM generate_series(1, 500) g; ANALYZE');
    const live = await readCatalog(c);
    t.equal(schemaFingerprint(live), fp(schema));
    await c.query('ALTER TABLE customers DROP COLUMN phone; ALTER TABLE customers ADD COLUMN phone varchar(20)');
    t.not(schemaFingerprint(await readCatalog(c)), fp(schema), 'a drop and re-add moves the column: the schema changed');
  } finally {
    await c.end();
  }
});
