-- case: a real condition OR 'a' = 'a'
-- label: destructive
DELETE FROM order_items WHERE quantity > 5 OR 'a' = 'a';
-- expect: delete-all-rows@3 public.order_items
