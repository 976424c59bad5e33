-- case: inside BEGIN … COMMIT
-- label: destructive
BEGIN;
ALTER TABLE orders DROP COLUMN note;
COMMIT;
-- expect: drop-column@4 public.orders.note
-- expect: missing-lock-timeout@4 public.orders
