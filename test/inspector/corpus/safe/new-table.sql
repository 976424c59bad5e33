-- case: a new table with a foreign key to an existing one
-- label: safe
CREATE TABLE coupons (
  id bigserial PRIMARY KEY,
  code text NOT NULL UNIQUE,
  customer_id bigint REFERENCES customers (id),
  expires_at timestamptz
);
-- expect: nothing
