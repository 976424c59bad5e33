-- case: DROP NOT NULL
-- label: safe
SET lock_timeout = '5s';
ALTER TABLE customers ALTER COLUMN name DROP NOT NULL;
-- expect: nothing
