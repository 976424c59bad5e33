-- case: SET LOCAL lock_timeout inside the transaction
-- label: safe
BEGIN;
SET LOCAL lock_timeout = '2s';
ALTER TABLE customers ADD COLUMN referrer_id bigint;
COMMIT;
-- expect: nothing
