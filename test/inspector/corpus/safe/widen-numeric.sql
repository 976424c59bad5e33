-- case: numeric(10,2) → numeric(14,2)
-- label: safe
SET lock_timeout = '5s';
ALTER TABLE orders ALTER COLUMN total TYPE numeric(14,2);
-- expect: nothing
