-- case: CREATE INDEX CONCURRENTLY inside BEGIN
-- label: hazard
BEGIN;
CREATE INDEX CONCURRENTLY customers_email_idx ON customers (email);
COMMIT;
-- expect: concurrently-in-transaction@4 public.customers
