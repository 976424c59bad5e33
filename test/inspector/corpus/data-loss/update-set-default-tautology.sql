-- case: SET … = DEFAULT WHERE 1 = 1
-- label: destructive
UPDATE customers SET status = DEFAULT WHERE 1 = 1;
-- expect: update-all-rows@3 public.customers.status
