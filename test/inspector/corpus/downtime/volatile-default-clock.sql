-- case: ADD COLUMN … DEFAULT clock_timestamp()
-- label: hazard
ALTER TABLE orders ADD COLUMN imported_at timestamptz NOT NULL DEFAULT clock_timestamp();
-- expect: volatile-default@3 public.orders.imported_at
-- expect: missing-lock-timeout@3 public.orders
