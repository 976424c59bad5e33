-- case: DROP INDEX CONCURRENTLY inside BEGIN
-- label: hazard
BEGIN;
DROP INDEX CONCURRENTLY orders_customer_id_idx;
COMMIT;
-- expect: concurrently-in-transaction@4 public.orders
