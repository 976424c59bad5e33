-- case: an UPDATE restricted by WHERE
-- label: safe
UPDATE customers SET status = 'active' WHERE status IS NULL;
-- expect: nothing
