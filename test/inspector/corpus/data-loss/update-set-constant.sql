-- case: UPDATE … SET column = constant for every row
-- label: destructive
UPDATE orders SET note = 'migrated';
-- expect: update-all-rows@3 public.orders.note
