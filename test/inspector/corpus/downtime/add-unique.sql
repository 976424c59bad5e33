-- case: ADD CONSTRAINT … UNIQUE
-- label: hazard
ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email);
-- expect: add-unique-constraint@3 public.customers
-- expect: missing-lock-timeout@3 public.customers
