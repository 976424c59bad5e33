-- case: an UPDATE hidden in a WITH
-- label: destructive
WITH u AS (UPDATE customers SET email = NULL RETURNING id) SELECT count(*) FROM u;
-- expect: update-all-rows@3 public.customers.email
