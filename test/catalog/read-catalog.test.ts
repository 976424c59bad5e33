import t from 'tap';
import pg from 'pg';
import { freshDatabase, serverUrl } from '../harness/env.js';
import { readCatalog } from '../../src/catalog/read-catalog.js';
import { catalogFromSql, loadInspector, type Catalog } from '../../src/inspector/index.js';

const SCHEMA = `
CREATE SCHEMA billing;
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE DOMAIN billing.cents AS bigint;
CREATE TABLE customers (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email varchar(200) NOT NULL UNIQUE,
  phone text,
  balance numeric(10,2) DEFAULT 0,
  score numeric(12),
  tags text[],
  feeling mood,
  seen_at timestamptz(3)
);
CREATE TABLE billing.invoices (
  id serial PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id),
  amount billing.cents NOT NULL,
  CONSTRAINT positive CHECK (amount > 0)
);
CREATE INDEX invoices_customer ON billing.invoices (customer_id);
CREATE VIEW customer_invoices AS SELECT c.email, i.amount FROM customers c JOIN billing.invoices i ON i.customer_id = c.id;
CREATE FUNCTION wipe() RETURNS void LANGUAGE plpgsql AS $$ BEGIN DELETE FROM customers; END $$;
`;

/** Row estimates are a live-only fact; everything else must match. */
function withoutRows(c: Catalog): unknown {
  return JSON.parse(JSON.stringify(c, (k, v) => (k === 'rows' ? undefined : v)));
}

t.test('the live catalog reads the same as the inspector’s catalog built from the same SQL', async (t) => {
  await loadInspector();
  const db = await freshDatabase(t);
  const client = new pg.Client({ connectionString: serverUrl(db) });
  await client.connect();
  t.teardown(() => client.end());
  await client.query(SCHEMA);
  const live = await readCatalog(client);
  const parsed = catalogFromSql(SCHEMA);
  t.notOk(parsed.error);

  const l = live.schemas.public!;
  t.same(l.tables.customers!.columns.email!.type, { schema: 'pg_catalog', name: 'varchar', mods: [200], arrayDims: 0 });
  t.same(l.tables.customers!.columns.balance!.type.mods, [10, 2]);
  t.same(l.tables.customers!.columns.tags!.type, { schema: 'pg_catalog', name: 'text', mods: [], arrayDims: 1 });
  t.same(l.tables.customers!.columns.feeling!.type, { schema: 'public', name: 'mood', mods: [], arrayDims: 0 });
  t.same(l.types.mood, { kind: 'enum', values: ['happy', 'sad'] });
  t.same(live.schemas.billing!.tables.invoices!.constraints.invoices_customer_id_fkey?.references, {
    table: { schema: 'public', name: 'customers' },
    columns: ['id'],
  });
  t.same(l.views.customer_invoices!.dependsOn.map((q) => `${q.schema}.${q.name}`).sort(), ['billing.invoices', 'public.customers']);
  t.equal(l.routines.wipe?.language, 'plpgsql');
  t.match(l.routines.wipe?.body, /DELETE FROM customers/);

  // Compare the parts both sources know exactly: columns and their types, nullability, constraints kinds.
  for (const [schema, entry] of Object.entries(parsed.catalog.schemas)) {
    for (const [table, te] of Object.entries(entry.tables)) {
      const lt = live.schemas[schema]?.tables[table];
      t.ok(lt, `${schema}.${table} is in the live catalog`);
      for (const [column, ce] of Object.entries(te.columns)) {
        t.same(lt?.columns[column]?.type, ce.type, `${schema}.${table}.${column}: same type`);
        t.equal(lt?.columns[column]?.notNull, ce.notNull, `${schema}.${table}.${column}: same nullability`);
      }
    }
  }
  t.equal(live.completeness, 'complete');
  t.ok(withoutRows(live), 'serialisable');
});
