-- case: unquoted upper case folds to the real names
-- label: destructive
ALTER TABLE Customers DROP COLUMN PHONE;
-- expect: drop-column@3 public.customers.phone
-- expect: missing-lock-timeout@3 public.customers
