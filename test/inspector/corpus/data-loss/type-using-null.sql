-- case: USING NULL replaces every value
-- label: destructive
ALTER TABLE customers ALTER COLUMN status TYPE text USING NULL;
-- expect: lossy-type-change@3 public.customers.status
-- expect: type-change-rewrite@3 public.customers.status
-- expect: missing-lock-timeout@3 public.customers
