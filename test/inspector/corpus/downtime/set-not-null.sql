-- case: SET NOT NULL scans the table
-- label: hazard
ALTER TABLE customers ALTER COLUMN email SET NOT NULL;
-- expect: set-not-null@3 public.customers.email
-- expect: missing-lock-timeout@3 public.customers
