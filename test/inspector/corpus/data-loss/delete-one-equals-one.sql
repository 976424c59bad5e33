-- case: WHERE 1 = 1
-- label: destructive
DELETE FROM orders WHERE 1 = 1;
-- expect: delete-all-rows@3 public.orders
