-- case: timestamp → timestamptz rewrites
-- label: hazard
ALTER TABLE customers ALTER COLUMN signed_up_at TYPE timestamptz;
-- expect: type-change-rewrite@3 public.customers.signed_up_at
-- expect: missing-lock-timeout@3 public.customers
