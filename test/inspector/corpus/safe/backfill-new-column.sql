-- case: a new column backfilled with a constant
-- label: safe
SET lock_timeout = '5s';
     ALTER TABLE orders ADD COLUMN currency char(3);
     UPDATE orders SET currency = 'EUR';
-- expect: nothing
