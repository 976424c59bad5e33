-- case: a BEGIN ATOMIC procedure body
-- label: destructive
CREATE PROCEDURE wipe_items()
BEGIN ATOMIC
  DELETE FROM order_items;
END;
-- expect: delete-all-rows@5 public.order_items
