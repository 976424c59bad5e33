-- case: DROP COLUMN IF EXISTS … CASCADE still drops an existing column
-- label: destructive
ALTER TABLE IF EXISTS customers DROP COLUMN IF EXISTS email CASCADE;
-- expect: drop-column@3 public.customers.email
-- expect: missing-lock-timeout@3 public.customers
