-- case: WHERE on a NOT NULL column IS NOT NULL
-- label: destructive
DELETE FROM customers WHERE id IS NOT NULL;
-- expect: delete-all-rows@3 public.customers
