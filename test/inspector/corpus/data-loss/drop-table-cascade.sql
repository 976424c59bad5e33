-- case: DROP TABLE … CASCADE takes the view along
-- label: destructive
DROP TABLE customers CASCADE;
-- expect: drop-table@3 public.customers public.customer_totals
-- expect: missing-lock-timeout@3 public.customers
