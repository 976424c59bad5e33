-- case: a dollar-quoted string that mentions DROP, then a real drop
-- label: destructive
SELECT $x$ DROP TABLE customers $x$ AS decoy;
ALTER TABLE orders DROP COLUMN note;
-- expect: drop-column@4 public.orders.note
-- expect: missing-lock-timeout@4 public.orders
