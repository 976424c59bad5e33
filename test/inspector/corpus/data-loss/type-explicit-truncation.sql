-- case: USING left(…) truncates
-- label: destructive
ALTER TABLE customers ALTER COLUMN email TYPE varchar(50) USING left(email, 50);
-- expect: lossy-type-change@3 public.customers.email
-- expect: type-change-rewrite@3 public.customers.email
-- expect: missing-lock-timeout@3 public.customers
