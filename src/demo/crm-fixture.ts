import pg from 'pg';

/** The small CRM of the story: customers with phone numbers and emails, and their orders. */
export const CRM_SCHEMA = `
CREATE TABLE customers (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  email text NOT NULL UNIQUE,
  phone text
);
CREATE TABLE orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id),
  total_cents integer NOT NULL,
  placed_at timestamptz NOT NULL DEFAULT now()
);
`;

/** Creates the CRM in `url`'s database with `customers` rows (all with phones) and some orders. */
export async function seedCrm(url: string, customers: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(CRM_SCHEMA);
    await client.query(
      `INSERT INTO customers (name, email, phone)
       SELECT 'Customer ' || g, 'customer' || g || '@example.com', '+1-555-' || lpad(g::text, 6, '0')
       FROM generate_series(1, $1::int) AS g`,
      [customers],
    );
    await client.query(
      `INSERT INTO orders (customer_id, total_cents)
       SELECT 1 + (g % $1::int), 100 + (g * 37) % 10000 FROM generate_series(1, $1::int * 2) AS g`,
      [customers],
    );
  } finally {
    await client.end();
  }
}
