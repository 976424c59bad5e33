-- case: CHECK NOT VALID, then VALIDATE
-- label: safe
SET lock_timeout = '5s';
     ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;
     ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;
-- expect: nothing
