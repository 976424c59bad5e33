-- case: DROP INDEX without CONCURRENTLY
-- label: hazard
DROP INDEX orders_customer_id_idx;
-- expect: drop-index-nonconcurrent@3 public.orders_customer_id_idx public.orders
-- expect: missing-lock-timeout@3 public.orders
