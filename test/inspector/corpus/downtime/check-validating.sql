-- case: CHECK without NOT VALID
-- label: hazard
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);
-- expect: constraint-missing-not-valid@3 public.orders
-- expect: missing-lock-timeout@3 public.orders
