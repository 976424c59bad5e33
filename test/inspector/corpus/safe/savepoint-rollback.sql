-- case: a scratch table across ROLLBACK TO SAVEPOINT
-- label: safe
BEGIN;
CREATE TABLE staging (id int);
SAVEPOINT before_cleanup;
DROP TABLE staging;
ROLLBACK TO SAVEPOINT before_cleanup;
DROP TABLE staging;
COMMIT;
-- expect: nothing
