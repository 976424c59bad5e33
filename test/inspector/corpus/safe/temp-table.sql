-- case: a temporary table emptied and dropped
-- label: safe
CREATE TEMP TABLE scratch AS SELECT id FROM customers WHERE status = 'inactive';
DELETE FROM scratch;
DROP TABLE scratch;
-- expect: nothing
