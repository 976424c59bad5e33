-- case: a RENAME COLUMN inside a DO block
-- label: hazard
DO $$
BEGIN
  ALTER TABLE orders RENAME COLUMN note TO remarks;
END
$$;
-- expect: rename-column@5 public.orders.note public.orders.remarks
-- expect: missing-lock-timeout@5 public.orders
