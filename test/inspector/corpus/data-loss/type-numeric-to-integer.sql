-- case: numeric(10,2) → integer
-- label: destructive
ALTER TABLE orders ALTER COLUMN total TYPE integer;
-- expect: lossy-type-change@3 public.orders.total
-- expect: type-change-rewrite@3 public.orders.total
-- expect: missing-lock-timeout@3 public.orders
