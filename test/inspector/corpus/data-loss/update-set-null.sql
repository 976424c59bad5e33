-- case: UPDATE … SET column = NULL for every row
-- label: destructive
UPDATE customers SET phone = NULL;
-- expect: update-all-rows@3 public.customers.phone
