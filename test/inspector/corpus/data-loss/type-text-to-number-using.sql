-- case: varchar → bigint USING a cast
-- label: destructive
ALTER TABLE customers ALTER COLUMN phone TYPE bigint USING phone::bigint;
-- expect: lossy-type-change@3 public.customers.phone
-- expect: type-change-rewrite@3 public.customers.phone
-- expect: missing-lock-timeout@3 public.customers
