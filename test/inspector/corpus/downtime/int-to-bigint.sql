-- case: integer → bigint rewrites
-- label: hazard
ALTER TABLE order_items ALTER COLUMN quantity TYPE bigint;
-- expect: type-change-rewrite@3 public.order_items.quantity
-- expect: missing-lock-timeout@3 public.order_items
