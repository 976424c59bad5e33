-- case: an added nullable column
-- label: safe
SET lock_timeout = '5s';
ALTER TABLE customers ADD COLUMN nickname text;
-- expect: nothing
