-- case: timestamp → date
-- label: destructive
ALTER TABLE orders ALTER COLUMN placed_at TYPE date;
-- expect: lossy-type-change@3 public.orders.placed_at
-- expect: type-change-rewrite@3 public.orders.placed_at
-- expect: missing-lock-timeout@3 public.orders
