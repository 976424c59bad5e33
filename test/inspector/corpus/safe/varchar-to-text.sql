-- case: varchar → text
-- label: safe
SET lock_timeout = '5s';
ALTER TABLE customers ALTER COLUMN email TYPE text;
-- expect: nothing
