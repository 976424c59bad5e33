-- case: TRUNCATE … CASCADE reaches every referencing table
-- label: destructive
TRUNCATE customers CASCADE;
-- expect: truncate@3 public.customers public.orders public.order_items
-- expect: missing-lock-timeout@3 public.customers
