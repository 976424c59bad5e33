-- case: DROP INDEX CONCURRENTLY
-- label: safe
DROP INDEX CONCURRENTLY orders_customer_id_idx;
-- expect: nothing
