-- case: CREATE INDEX CONCURRENTLY outside a transaction
-- label: safe
CREATE INDEX CONCURRENTLY customers_email_idx ON customers (email);
-- expect: nothing
