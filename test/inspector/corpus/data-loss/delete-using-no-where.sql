-- case: DELETE … USING with no WHERE
-- label: destructive
DELETE FROM orders USING customers;
-- expect: delete-all-rows@3 public.orders
