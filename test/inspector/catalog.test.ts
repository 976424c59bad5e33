/** The catalog: built from a schema file, evolved statement by statement, plain data throughout. */
import t from 'tap';
import { catalogFromSql, inspect, type Catalog } from '../../src/inspector/index.js';
import { CATALOG } from './helpers.js';

function evolve(sql: string, catalog: Catalog = CATALOG): Catalog {
  return inspect(sql, { catalog, mode: 'file' }).state.catalog;
}

const tables = (c: Catalog, schema = 'public') => Object.keys(c.schemas[schema]?.tables ?? {});

t.test('a pg_dump --schema-only file becomes a complete catalog', async (t) => {
  const dump = `
SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);
CREATE SCHEMA app;
CREATE TYPE app.state AS ENUM ('on', 'off');
CREATE TABLE app.devices (id integer NOT NULL, name character varying(40), state app.state, seen timestamp with time zone);
CREATE SEQUENCE app.devices_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE app.devices_id_seq OWNED BY app.devices.id;
ALTER TABLE ONLY app.devices ALTER COLUMN id SET DEFAULT nextval('app.devices_id_seq'::regclass);
ALTER TABLE ONLY app.devices ADD CONSTRAINT devices_pkey PRIMARY KEY (id);
CREATE INDEX devices_name_idx ON app.devices USING btree (name);
\\unrestrict abc
`;
  const { catalog, error } = catalogFromSql(dump);
  t.equal(error, undefined);
  t.equal(catalog.completeness, 'complete');
  const devices = catalog.schemas.app!.tables.devices!;
  t.same(Object.keys(devices.columns), ['id', 'name', 'state', 'seen']);
  t.same(devices.columns.id, { type: { schema: 'pg_catalog', name: 'int4', mods: [], arrayDims: 0 }, notNull: true, hasDefault: true });
  t.same(devices.columns.name!.type, { schema: 'pg_catalog', name: 'varchar', mods: [40], arrayDims: 0 });
  t.same(devices.columns.state!.type, { schema: 'app', name: 'state', mods: [], arrayDims: 0 });
  t.same(devices.constraints.devices_pkey, { kind: 'p', columns: ['id'], validated: true });
  t.same(catalog.schemas.app!.sequences.devices_id_seq, { ownedBy: { table: { schema: 'app', name: 'devices' }, column: 'id' } });
  t.same(catalog.schemas.app!.indexes.devices_name_idx, { table: { schema: 'app', name: 'devices' }, unique: false, columns: ['name'] });
  t.same(catalog.schemas.app!.types.state, { kind: 'enum', values: ['on', 'off'] });
});

t.test('a schema file that does not parse says where', async (t) => {
  const { error } = catalogFromSql('CREATE TABLE a (id int);\nCREATE TABLE b (id int,);');
  t.equal(error?.line, 2);
  t.match(error?.message, /syntax error/);
});

t.test('DROP TABLE … CASCADE takes dependent views and foreign keys out of the catalog', async (t) => {
  const after = evolve('DROP TABLE customers CASCADE;');
  t.notOk('customers' in after.schemas.public!.tables);
  t.same(Object.keys(after.schemas.public!.views), []);
  t.same(Object.keys(after.schemas.public!.tables.orders!.constraints), ['orders_pkey']);
  t.same(Object.keys(after.schemas.public!.sequences), ['invoice_numbers']);
});

t.test('DROP TYPE … CASCADE drops the columns of that type', async (t) => {
  t.notOk('mood' in evolve('DROP TYPE mood CASCADE;').schemas.public!.tables.customers!.columns);
  t.ok('mood' in evolve('DROP TYPE mood;').schemas.public!.tables.customers!.columns, 'without CASCADE no column is dropped');
});

t.test('renames, schema moves, column changes', async (t) => {
  const after = evolve(`
ALTER TABLE customers RENAME COLUMN phone TO mobile;
ALTER TABLE audit_log RENAME TO events;
ALTER TABLE sessions SET SCHEMA billing;
ALTER TABLE orders ALTER COLUMN total TYPE numeric(14,2), ALTER COLUMN note SET NOT NULL;
ALTER TABLE orders ADD COLUMN currency char(3) DEFAULT 'EUR';
`);
  t.same(Object.keys(after.schemas.public!.tables.customers!.columns).slice(0, 5), ['id', 'name', 'email', 'mobile', 'balance'], 'column order kept');
  t.same(tables(after), ['customers', 'orders', 'order_items', 'LegacyAccounts', 'events']);
  t.same(tables(after, 'billing'), ['invoices', 'payments', 'sessions']);
  t.same(after.schemas.public!.tables.orders!.columns.total!.type.mods, [14, 2]);
  t.equal(after.schemas.public!.tables.orders!.columns.note!.notNull, true);
  t.same(after.schemas.public!.tables.orders!.columns.currency, { type: { schema: 'pg_catalog', name: 'bpchar', mods: [3], arrayDims: 0 }, notNull: false, hasDefault: true });
});

t.test('CREATE TABLE … LIKE copies known columns; CREATE TABLE AS has unknown ones', async (t) => {
  const after = evolve('CREATE TABLE archive (LIKE orders INCLUDING ALL, archived_at timestamptz);\nCREATE TABLE snapshot AS SELECT * FROM orders;');
  t.same(Object.keys(after.schemas.public!.tables.archive!.columns), ['id', 'customer_id', 'total', 'note', 'placed_at', 'archived_at']);
  t.equal(after.schemas.public!.tables.snapshot!.columnsUnknown, true);
});

t.test('a DROP SCHEMA without CASCADE of a non-empty schema changes nothing', async (t) => {
  t.same(tables(evolve('DROP SCHEMA billing;'), 'billing'), ['invoices', 'payments']);
  t.notOk('billing' in evolve('DROP SCHEMA billing CASCADE;').schemas);
});
