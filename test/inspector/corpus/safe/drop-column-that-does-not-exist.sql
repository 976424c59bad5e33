-- case: DROP COLUMN IF EXISTS of a column that does not exist
-- label: safe
SET lock_timeout = '5s';
ALTER TABLE customers DROP COLUMN IF EXISTS fax;
-- expect: nothing
