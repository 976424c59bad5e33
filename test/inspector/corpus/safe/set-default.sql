-- case: SET DEFAULT
-- label: safe
SET lock_timeout = '5s';
ALTER TABLE customers ALTER COLUMN status SET DEFAULT 'new';
-- expect: nothing
