/** The migrations of the story, as the branches carry them. */

/** What an ORM generated for "rename customers.phone": a drop and an empty column of the same name. */
export const GENERATED_RENAME = 'ALTER TABLE customers DROP COLUMN phone;\nALTER TABLE customers ADD COLUMN phone text;';

/** The fixed table split: the new table, every phone copied into it, then the old column dropped. */
export const TABLE_SPLIT = [
  {
    name: '001_create_customer_phones.sql',
    sql: `CREATE TABLE customer_phones (
  customer_id bigint NOT NULL REFERENCES customers (id),
  phone text NOT NULL,
  PRIMARY KEY (customer_id, phone)
);
INSERT INTO customer_phones (customer_id, phone)
SELECT id, phone FROM customers WHERE phone IS NOT NULL;
`,
  },
  { name: '002_drop_customers_phone.sql', sql: 'ALTER TABLE customers DROP COLUMN phone;\n' },
];

/** A parallel session's branch, cut from an older main. */
export const PARALLEL_BRANCH = [{ name: '001_add_customers_vip.sql', sql: 'ALTER TABLE customers ADD COLUMN vip boolean NOT NULL DEFAULT false;\n' }];

/** Revisions of main: the parallel branch was cut from OLD_MAIN, LIVE_MAIN is deployed. */
export const OLD_MAIN = '3f1c2a9e0b7d';
export const LIVE_MAIN = '8a4e61d2c5f0';
export const SPLIT_BRANCH = 'c91b7d03e4a2';
export const APP_BRANCH = 'e07f5a18b3c6';
