-- case: CREATE INDEX without CONCURRENTLY
-- label: hazard
CREATE INDEX customers_email_idx ON customers (email);
-- expect: create-index-nonconcurrent@3 public.customers
