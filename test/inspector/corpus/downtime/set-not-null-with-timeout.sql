-- case: SET NOT NULL after a lock_timeout
-- label: hazard
SET lock_timeout = '3s';
ALTER TABLE orders ALTER COLUMN note SET NOT NULL;
-- expect: set-not-null@4 public.orders.note
