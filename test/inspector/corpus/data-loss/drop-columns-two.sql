-- case: two DROP COLUMNs in one ALTER TABLE
-- label: destructive
ALTER TABLE customers DROP COLUMN phone, DROP COLUMN email;
-- expect: drop-column@3 public.customers.phone
-- expect: drop-column@3 public.customers.email
-- expect: missing-lock-timeout@3 public.customers
