-- case: EXPLAIN without ANALYZE does not run the DELETE
-- label: safe
EXPLAIN DELETE FROM sessions;
-- expect: nothing
