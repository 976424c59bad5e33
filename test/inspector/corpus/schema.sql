-- The database every corpus case runs against (tripwire lint --schema): a small CRM.
-- Cases that say "-- schema: none" run without it, as lint does without --schema.
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE DOMAIN email_address AS text CHECK (VALUE LIKE '%@%');

CREATE TABLE customers (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  email varchar(255),
  phone varchar(20),
  balance numeric(12,2) NOT NULL DEFAULT 0,
  status text,
  mood mood,
  signed_up_at timestamp,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id),
  total numeric(10,2) NOT NULL,
  note text,
  placed_at timestamp NOT NULL
);

CREATE TABLE order_items (
  id bigserial PRIMARY KEY,
  order_id bigint REFERENCES orders (id),
  sku varchar(40),
  quantity integer NOT NULL
);

CREATE TABLE sessions (id uuid PRIMARY KEY, customer_id bigint, expires_at timestamptz);
CREATE TABLE audit_log (id bigserial PRIMARY KEY, event text, payload jsonb, at timestamptz);
CREATE TABLE "LegacyAccounts" ("AccountId" integer PRIMARY KEY, "Phone" text, "Notes" text);

CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE VIEW customer_totals AS
  SELECT c.id, sum(o.total) AS total FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id;
CREATE SEQUENCE invoice_numbers;

CREATE SCHEMA billing;
CREATE TABLE billing.invoices (id bigserial PRIMARY KEY, customer_id bigint, amount numeric(10,2), contact email_address);
CREATE TABLE billing.payments (id bigserial PRIMARY KEY, invoice_id bigint REFERENCES billing.invoices (id), amount numeric(10,2));

-- A maintenance function that empties a table: calling it destroys data.
CREATE FUNCTION purge_sessions() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM sessions;
END
$$;

-- A harmless one.
CREATE FUNCTION touch_customer(cid bigint) RETURNS void LANGUAGE sql AS $$
  UPDATE customers SET status = 'active' WHERE id = cid
$$;
