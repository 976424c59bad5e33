-- case: CLUSTER
-- label: hazard
CLUSTER orders USING orders_customer_id_idx;
-- expect: cluster@3 public.orders
-- expect: missing-lock-timeout@3 public.orders
