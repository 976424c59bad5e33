-- case: numeric(12,2) → numeric(12,0) rounds
-- label: destructive
ALTER TABLE customers ALTER COLUMN balance TYPE numeric(12,0);
-- expect: lossy-type-change@3 public.customers.balance
-- expect: type-change-rewrite@3 public.customers.balance
-- expect: missing-lock-timeout@3 public.customers
