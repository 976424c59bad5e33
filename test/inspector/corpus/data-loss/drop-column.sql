-- case: DROP COLUMN on a populated table
-- label: destructive
ALTER TABLE customers DROP COLUMN phone;
-- expect: drop-column@3 public.customers.phone
-- expect: missing-lock-timeout@3 public.customers
