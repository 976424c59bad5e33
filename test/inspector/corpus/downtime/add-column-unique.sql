-- case: ADD COLUMN … UNIQUE
-- label: hazard
ALTER TABLE customers ADD COLUMN external_id text UNIQUE;
-- expect: add-unique-constraint@3 public.customers
-- expect: missing-lock-timeout@3 public.customers
