-- case: a column added and dropped in the same migration
-- label: safe
SET lock_timeout = '5s';
     ALTER TABLE customers ADD COLUMN temp_flag boolean;
     ALTER TABLE customers DROP COLUMN temp_flag;
-- expect: nothing
