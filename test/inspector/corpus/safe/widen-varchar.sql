-- case: varchar(20) → varchar(40): no rewrite, nothing lost
-- label: safe
SET lock_timeout = '5s';
ALTER TABLE customers ALTER COLUMN phone TYPE varchar(40);
-- expect: nothing
